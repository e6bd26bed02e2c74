/**
 * An indeterminate progress bar for work whose total is unknown, such as a sync: it moves to
 * show that something is happening and says in words how far it has got.
 */
interface ProgressBarProps {
  /** The accessible name, e.g. "Sync progress". */
  label: string;
  /** What has been done so far, in words, e.g. "Syncing… 120 changes". */
  valueText: string;
}

export function ProgressBar({ label, valueText }: ProgressBarProps) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuetext={valueText}
      aria-busy="true"
    >
      <div className="progress-bar" />
    </div>
  );
}
