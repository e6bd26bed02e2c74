/**
 * The section tabs, following the WAI-ARIA tabs pattern: one tab stop for the list, arrow keys
 * (and Home/End) move between tabs and select them, each tab controls its panel by id.
 *
 * A list can stand vertically (the side navigation of a wide window) or run horizontally (the
 * bar of a phone-width one). Both pairs of arrows work either way, so a window resized under
 * the user's fingers never leaves them with dead keys; `aria-orientation` says which pair a
 * screen reader should announce.
 */
import { useRef, type KeyboardEvent } from "react";

export interface TabItem<Id extends string> {
  id: Id;
  label: string;
}

interface TabsProps<Id extends string> {
  label: string;
  tabs: readonly TabItem<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
  /** Extra classes, e.g. for tabs nested inside a section. */
  className?: string;
  /** How the tabs are laid out; horizontal unless said. */
  orientation?: "horizontal" | "vertical";
}

/** The id of the tab element for `id`; panels point at it with `aria-labelledby`. */
export function tabId(id: string): string {
  return `tab-${id}`;
}

/** The id of the panel for `id`; its tab points at it with `aria-controls`. */
export function panelId(id: string): string {
  return `panel-${id}`;
}

export function Tabs<Id extends string>({
  label,
  tabs,
  selected,
  onSelect,
  className,
  orientation = "horizontal",
}: TabsProps<Id>) {
  const listRef = useRef<HTMLDivElement>(null);

  const move = (index: number) => {
    const count = tabs.length;
    const target = tabs[((index % count) + count) % count];
    if (target === undefined) return;

    onSelect(target.id);
    listRef.current?.querySelector<HTMLButtonElement>(`#${tabId(target.id)}`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = tabs.findIndex((tab) => tab.id === selected);
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowDown: current + 1,
      ArrowLeft: current - 1,
      ArrowUp: current - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;

    event.preventDefault();
    move(next);
  };

  return (
    <div
      className={className === undefined ? "tabs" : `tabs ${className}`}
      role="tablist"
      aria-label={label}
      aria-orientation={orientation}
      ref={listRef}
      onKeyDown={onKeyDown}
    >
      {tabs.map((tab) => {
        const active = tab.id === selected;
        return (
          <button
            key={tab.id}
            id={tabId(tab.id)}
            type="button"
            role="tab"
            className="tab"
            aria-selected={active}
            aria-controls={panelId(tab.id)}
            tabIndex={active ? 0 : -1}
            onClick={() => {
              onSelect(tab.id);
            }}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
