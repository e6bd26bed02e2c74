/**
 * The instalment offers, one card each, reloaded whenever a sync finishes.
 */
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../components/ErrorNotice";
import { OfferCard } from "../components/OfferCard";
import * as ipc from "../ipc";
import { useResource } from "../resource";

interface OffersScreenProps {
  version: number;
  now: number;
}

export function OffersScreen({ version, now }: OffersScreenProps) {
  const { t } = useTranslation();
  const resource = useResource(ipc.offers, version);
  const offers = resource.value;

  return (
    <div className="offers-screen">
      {resource.error !== null && <ErrorNotice error={resource.error} onRetry={resource.retry} />}
      {offers === undefined ? (
        resource.error === null && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )
      ) : offers.length === 0 ? (
        <p className="muted">{t("offers.empty")}</p>
      ) : (
        <div className="offer-grid">
          {offers.map((offer) => (
            <OfferCard key={offer.id} offer={offer} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
