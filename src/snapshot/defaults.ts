/** Snapshot's public hub: where the client reads and (through its sequencer) writes by default. */
export const SNAPSHOT_HUB_URL = "https://hub.snapshot.org";
