/**
 * What the claim page says for one account on one chain, as a pure function of what was read:
 * the distributor's roots, what the account already claimed, whether claims are paused, and the
 * account's entry (cumulative amount and proof) in the active and the pending tree.
 *
 * Amounts are wei as bigint. "Claimable now" is the active tree's cumulative amount minus what was
 * claimed (never negative: a cumulative tree never decreases, and the contract pays the
 * difference). "The pending root will add" is the pending tree's amount minus the active one's.
 */
import type { Result } from "ethers";

export const ZERO_ROOT = `0x${"0".repeat(64)}`;

/** A root as the distributor reports it (IRewardsDistributor.Root). */
export interface RootView {
  root: string;
  total: bigint;
  epochEnd: bigint;
  submittedAt: bigint;
  contentHash: string;
}

/** An account's entry in a tree (from the proof files), or null when the tree does not hold it. */
export interface TreeEntry {
  amount: bigint;
  proof: string[];
}

export interface ClaimInput {
  active: RootView;
  pending: RootView;
  challengeWindow: bigint;
  paused: boolean;
  claimed: bigint;
  /** The chain's time (the latest block's timestamp). */
  now: bigint;
  /** The account in the active tree: null if absent; undefined when there is no active root. */
  activeEntry: TreeEntry | null | undefined;
  /** The account in the pending tree: null if absent; undefined when there is no pending root. */
  pendingEntry: TreeEntry | null | undefined;
}

export type ClaimStatus = "claimable" | "nothing-to-claim" | "root-pending" | "not-in-tree" | "paused" | "no-root";

export interface ClaimView {
  status: ClaimStatus;
  /** In words, for the page. */
  words: string;
  cumulative: bigint;
  claimed: bigint;
  claimable: bigint;
  /** What the pending root adds for this account (0 when none or not in it). */
  pendingAdds: bigint;
  /** When the pending root can be activated (unix seconds), or null when none is pending. */
  pendingActivatesAt: bigint | null;
}

/** Whether a root is set (the distributor reports an unset root as all zeros). */
export const hasRoot = (r: RootView): boolean => r.root !== ZERO_ROOT;

/** A decoded IRewardsDistributor.Root as a RootView. */
export function rootView(r: Result): RootView {
  return { root: r.root as string, total: r.total as bigint, epochEnd: r.epochEnd as bigint, submittedAt: r.submittedAt as bigint, contentHash: r.contentHash as string };
}

/** The view of one account on one chain (see the module comment). */
export function claimView(i: ClaimInput): ClaimView {
  const cumulative = i.activeEntry?.amount ?? 0n;
  const claimable = cumulative > i.claimed ? cumulative - i.claimed : 0n;
  const pendingActivatesAt = hasRoot(i.pending) ? i.pending.submittedAt + i.challengeWindow : null;
  const pendingAdds = i.pendingEntry && i.pendingEntry.amount > cumulative ? i.pendingEntry.amount - cumulative : 0n;
  const base = { cumulative, claimed: i.claimed, claimable, pendingAdds, pendingActivatesAt };
  if (!hasRoot(i.active)) {
    return { ...base, status: "no-root", words: pendingActivatesAt === null ? "No rewards have been published on this chain yet." : "The first rewards root is pending: nothing can be claimed before it activates." };
  }
  if (claimable === 0n && pendingAdds > 0n) {
    return { ...base, status: "root-pending", words: "Nothing to claim yet: the pending root adds rewards for this account, claimable once it activates after its challenge window." };
  }
  if (!i.activeEntry) return { ...base, status: "not-in-tree", words: "This account is not in the current rewards tree: it has earned nothing on this chain so far." };
  if (claimable === 0n) return { ...base, status: "nothing-to-claim", words: "Nothing to claim: everything this account earned so far is already claimed." };
  if (i.paused) return { ...base, status: "paused", words: "Claims are paused on this chain by the guardian; try again once they resume." };
  return { ...base, status: "claimable", words: "Ready to claim." };
}

/** Seconds until `at` from `now`, as "2 d 3 h", "5 h 12 min", "4 min 10 s" or "now". */
export function countdown(at: bigint, now: bigint): string {
  let s = Number(at - now);
  if (s <= 0) return "now";
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${s} s`;
  return `${s} s`;
}
