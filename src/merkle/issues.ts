/** Input issues of a build: collected by entry, thrown together as one InputError. */
import { InputError } from "../core/errors.js";

const MAX_ISSUES = 20;

export class Issues {
  private readonly found: { index: number; line: string }[] = [];
  count = 0;
  constructor(private readonly where: string) {}
  /** `pathText` starts with the entry's index ("7.amount") or is "(root)". */
  add(pathText: string, what: string): void {
    this.count++;
    if (this.found.length < 10 * MAX_ISSUES) this.found.push({ index: parseInt(pathText, 10) || 0, line: `${this.where}: ${pathText}: ${what}` });
  }
  /** Throws an InputError with the first issues in entry order. */
  throwIfAny(): void {
    if (this.count === 0) return;
    const lines = this.found
      .sort((a, b) => a.index - b.index)
      .slice(0, MAX_ISSUES)
      .map((f) => f.line);
    if (this.count > lines.length) lines.push(`${this.where}: … and ${this.count - lines.length} more`);
    throw new InputError(lines.join("\n"));
  }
}

export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? value.slice(0, 77) + "..." : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return `${typeof value} ${String(value)}`;
}
