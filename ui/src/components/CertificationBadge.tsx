/**
 * A small coloured label naming how a bill's or offer's green claim was checked, from
 * "unverified" up to "finance certified".
 */
import { useTranslation } from "react-i18next";

import type { Certification } from "../bindings";

export function CertificationBadge({ certification }: { certification: Certification }) {
  const { t } = useTranslation();

  return (
    <span className={`badge cert cert-${certification}`} data-certification={certification}>
      {t(`certification.${certification}`)}
    </span>
  );
}
