/**
 * The word lists synthetic users are drawn from. Shared by the generator and by churn, so that a
 * churned department or city is one a mapping could name (e.g. `city equals Seattle`).
 */
export const GIVEN_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Grace', 'Hugo', 'Ines', 'Jon', 'Kai', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia'] as const;
export const SURNAMES = ['Ng', 'Okafor', 'Silva', 'Kowalski', 'Tanaka', 'Haddad', 'Moreau', 'Larsen', 'Patel', 'Byrne', 'Costa', 'Meyer'] as const;
export const DEPARTMENTS = ['Finance', 'Engineering', 'Sales', 'Marketing', 'Support', 'Legal'] as const;
export const CITIES = ['Seattle', 'London', 'Paris', 'Tokyo', 'Sydney', 'Berlin', 'Toronto', 'Dublin'] as const;

/** mulberry32: a tiny seeded PRNG, so churn and generation replay exactly from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
