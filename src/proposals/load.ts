/**
 * Loads a proposal module: type-checks it with the project's TypeScript settings, imports it, and
 * validates its default export. Every failure names the file (and the field).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { parseWith } from "../core/validate.js";
import { proposalSchema, type Proposal } from "./define.js";
import { InputError } from "../core/errors.js";
import { nonEmpty } from "../core/fs.js";

/** Type-checks `file` alone (with what it imports) under tsconfig.json's compiler options. */
export function typecheckProposal(file: string, root = process.cwd()): void {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, "tsconfig.json");
  if (!configPath) throw new InputError(`${file}: no tsconfig.json found from ${root}`);
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([path.resolve(file)], { ...parsed.options, noEmit: true });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && path.resolve(d.file.fileName) === path.resolve(file));
  if (diagnostics.length) {
    const lines = diagnostics.map((d) => {
      const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    throw new InputError(`proposal does not type-check:\n${lines.join("\n")}`);
  }
}

export async function loadProposal(file: string, opts: { typecheck?: boolean } = {}): Promise<Proposal> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  nonEmpty(text, file);
  if (opts.typecheck !== false) typecheckProposal(file);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
  } catch (e) {
    throw new InputError(`${file}: cannot load (${(e as Error).message})`);
  }
  if (mod.default === undefined) throw new InputError(`${file}: no default export (export default defineProposal({...}))`);
  return parseWith(proposalSchema, mod.default, file);
}
