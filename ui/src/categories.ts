/**
 * The green categories in the order the UI lists them. Built from a record keyed by the
 * generated `GreenCategory` type, so a category added on the Rust side fails the type check
 * here until it is placed (and given a name in both message files).
 */
import type { GreenCategory } from "./bindings";

const ORDER: Record<GreenCategory, number> = {
  public_transport: 0,
  shared_bike: 1,
  ev_charging: 2,
  energy_efficient_appliance: 3,
  green_food: 4,
  second_hand: 5,
  recycling: 6,
};

export const GREEN_CATEGORIES: readonly GreenCategory[] = (
  Object.keys(ORDER) as GreenCategory[]
).sort((a, b) => ORDER[a] - ORDER[b]);

/** Whether `value` is a category this build of the UI knows. */
export function isGreenCategory(value: string): value is GreenCategory {
  return Object.hasOwn(ORDER, value);
}
