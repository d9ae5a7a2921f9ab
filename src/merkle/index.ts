/** The reward Merkle engine (see tree.ts). */
export * from "./tree.js";
