// Who places each order: one-time buyers, repeat buyers (2 … 17 orders) and pairs of orders placed together
// that share a review. Kept as typed arrays (4 bytes + 1 byte per order), the only per-order state of a run.
import { FULL, REPEAT_BUYERS, SHARED_REVIEW_PAIRS } from './figures';
import { Rng, shuffle } from './rng';

/** Flag: the order is the second of a pair placed together by one person (it shares the first one's review). */
export const TWIN_SECOND = 1;
/** Flag: the order is the first of such a pair. */
export const TWIN_FIRST = 2;

export interface PersonPlan {
  /** Person index per order (generation order). */
  personOf: Int32Array;
  /** TWIN_FIRST / TWIN_SECOND flags per order. */
  flags: Uint8Array;
  persons: number;
  repeatPersons: number;
}

export function planPersons(seed: number, scale: number, orders: number): PersonPlan {
  const rng = new Rng(seed, 0x9e75);
  // Repeat buyers per order count, scaled; the most active buyer (17 orders) is kept whenever there is room.
  const repeat = REPEAT_BUYERS.map(([k, n]) => [k, Math.round(n * scale)] as [number, number]);
  const last = repeat[repeat.length - 1]!;
  if (last[1] === 0 && orders >= 2_000) last[1] = 1;
  let repeatOrders = repeat.reduce((a, [k, n]) => a + k * n, 0);
  // Tiny runs: drop repeat buyers from the top until they fit in a third of the orders.
  for (let i = repeat.length - 1; i >= 0 && repeatOrders > orders / 3; i--) {
    const r = repeat[i]!;
    while (r[1] > 0 && repeatOrders > orders / 3) {
      r[1]--;
      repeatOrders -= r[0];
    }
  }
  const singles = orders - repeatOrders;
  const repeatPersons = repeat.reduce((a, [, n]) => a + n, 0);
  const persons = singles + repeatPersons;
  const pairs = Math.min(repeatPersons, Math.round(SHARED_REVIEW_PAIRS * (persons / FULL.persons)));

  // Units of one order, or of two orders placed together (a "pair"); shuffled, then laid out in order.
  const unitCount = orders - pairs;
  const unitPerson = new Int32Array(unitCount);
  const unitPair = new Uint8Array(unitCount);
  let u = 0;
  for (let p = 0; p < singles; p++) unitPerson[u++] = p;
  const repeaters: number[] = [];
  for (const [k, n] of repeat) for (let j = 0; j < n; j++) repeaters.push(k);
  const pairOwners = shuffle(
    Int32Array.from({ length: repeaters.length }, (_, i) => i),
    rng,
  ).subarray(0, pairs);
  const hasPair = new Uint8Array(repeaters.length);
  for (const r of pairOwners) hasPair[r] = 1;
  repeaters.forEach((k, r) => {
    const person = singles + r;
    let left = k;
    if (hasPair[r]) {
      unitPerson[u] = person;
      unitPair[u++] = 1;
      left -= 2;
    }
    for (; left > 0; left--) unitPerson[u++] = person;
  });
  const order = shuffle(
    Int32Array.from({ length: unitCount }, (_, i) => i),
    rng,
  );
  const personOf = new Int32Array(orders);
  const flags = new Uint8Array(orders);
  let i = 0;
  for (const unit of order) {
    personOf[i] = unitPerson[unit]!;
    if (unitPair[unit]) {
      flags[i++] = TWIN_FIRST;
      personOf[i] = unitPerson[unit]!;
      flags[i] = TWIN_SECOND;
    }
    i++;
  }
  return { personOf, flags, persons, repeatPersons };
}
