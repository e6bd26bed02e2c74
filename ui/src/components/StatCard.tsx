/**
 * One figure on the dashboard: a label, the formatted value and an optional note below it.
 *
 * The raw number goes into `data-value` next to the `data-testid`, so end-to-end tests compare
 * numbers and never parse localized text.
 */
import type { ReactNode } from "react";

interface StatCardProps {
  label: string;
  value: string;
  /** The unformatted figure, for `data-value`. */
  raw: number;
  testId: string;
  note?: ReactNode;
}

export function StatCard({ label, value, raw, testId, note }: StatCardProps) {
  return (
    <div className="card stat">
      <p className="stat-label">{label}</p>
      <p className="stat-value" data-testid={testId} data-value={raw}>
        {value}
      </p>
      {note !== undefined && <div className="stat-note">{note}</div>}
    </div>
  );
}
