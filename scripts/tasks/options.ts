/** Task options shared by the commands that sign: which key, or no key at all (a Safe). */

/** `--from`: who signs, for a command acting as `role` (whose key is in `variable`). */
export function fromOption(role: string, variable: string) {
  return {
    name: "from",
    description: `Sign as this ${role}: an address the network holds a key for, or the name of a configuration variable holding a private key (default: ${variable})`,
    defaultValue: "",
  } as const;
}

/** `--unsigned <file>`: write a Safe Transaction Builder batch instead of sending. */
export const unsignedOption = {
  name: "unsigned",
  description: "Write the transaction (to, value, data, chainId) to this file as a Safe Transaction Builder batch instead of sending it",
  defaultValue: "",
} as const;
