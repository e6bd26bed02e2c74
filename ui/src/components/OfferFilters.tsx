/**
 * The offer list's filters: category, number of months, interest-free only, and hiding
 * offers that have ended. Native selects and checkboxes, so they work from the keyboard.
 */
import { useTranslation } from "react-i18next";

import type { GreenCategory } from "../bindings";
import { isGreenCategory } from "../categories";
import type { OfferFilters as Filters } from "../offers";

interface OfferFiltersProps {
  filters: Filters;
  categories: readonly GreenCategory[];
  months: readonly number[];
  onChange: (filters: Filters) => void;
}

export function OfferFilters({ filters, categories, months, onChange }: OfferFiltersProps) {
  const { t } = useTranslation();
  const set = (changes: Partial<Filters>) => {
    onChange({ ...filters, ...changes });
  };

  return (
    <fieldset className="filters">
      <legend className="visually-hidden">{t("offers.filter.label")}</legend>
      <label className="field">
        <span>{t("offers.filter.category")}</span>
        <select
          value={filters.category ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            set({ category: isGreenCategory(value) ? value : null });
          }}
        >
          <option value="">{t("offers.filter.allCategories")}</option>
          {categories.map((name) => (
            <option key={name} value={name}>
              {t(`category.${name}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t("offers.filter.months")}</span>
        <select
          value={filters.months ?? ""}
          onChange={(event) => {
            const value = event.target.value;
            set({ months: value === "" ? null : Number(value) });
          }}
        >
          <option value="">{t("offers.filter.anyMonths")}</option>
          {months.map((count) => (
            <option key={count} value={count}>
              {t("offers.months", { count })}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.interestFreeOnly}
          onChange={(event) => {
            set({ interestFreeOnly: event.target.checked });
          }}
        />
        <span>{t("offers.filter.interestFree")}</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.hideExpired}
          onChange={(event) => {
            set({ hideExpired: event.target.checked });
          }}
        />
        <span>{t("offers.filter.hideExpired")}</span>
      </label>
    </fieldset>
  );
}
