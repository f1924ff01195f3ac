import { createTwoFilesPatch, diffArrays } from "diff";
import ts from "typescript";

/** The semver level of a change to the public API, as changesets spells it. */
export type ChangeLevel = "patch" | "minor" | "major";

/** How one entry's report changed, comments aside. */
export interface EntryChange {
  /** The report's path relative to the report folder (`generated/cells-status.api.md`). */
  readonly report: string;
  /** Declaration lines only in the new report. */
  readonly added: number;
  /** Declaration lines only in the old report (a changed line counts here and in `added`). */
  readonly removed: number;
  readonly level: ChangeLevel;
}

/** The classification of a whole report folder, and the text diff a reviewer reads. */
export interface ApiChange {
  readonly level: ChangeLevel;
  /** Every report that differs in its declarations, in path order. */
  readonly entries: readonly EntryChange[];
  /** Unified diff of every report that differs at all (documentation included), in path order. */
  readonly diff: string;
}

const RANK: Record<ChangeLevel, number> = { patch: 0, minor: 1, major: 2 };

/**
 * The declarations of an API report as lines: the fenced `ts` block, without comments (API
 * Extractor's `// @public`, `// (undocumented)` and the documentation carried inside types),
 * blank lines or indentation. Comments are found by the TypeScript scanner, so `//` inside a
 * string (a URL) stays.
 */
export function declarationLines(report: string): string[] {
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(report)?.[1] ?? report;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, block);
  let code = "";
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) continue;
    code += scanner.getTokenText();
  }
  return code
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "");
}

/**
 * The level of one report's change: `patch` when its declarations are the same, `minor` when the
 * new ones only add lines to the old, `major` when any line of the old is gone (removed, or
 * changed, which covers every narrowing). An entry that appears is `minor`, one that disappears
 * `major`. This reads lines, not types: a changed line is `major` even when it only widens a type,
 * so it errs toward major, never toward patch.
 */
export function classifyReport(report: string, before: string | undefined, after: string | undefined): EntryChange {
  const old = before === undefined ? [] : declarationLines(before);
  const next = after === undefined ? [] : declarationLines(after);
  let added = 0;
  let removed = 0;
  for (const part of diffArrays(old, next)) {
    if (part.added) added += part.count;
    else if (part.removed) removed += part.count;
  }
  const level: ChangeLevel = removed > 0 || after === undefined ? "major" : added > 0 || before === undefined ? "minor" : "patch";
  return { report, added, removed, level };
}

/**
 * Classifies the change between two sets of API reports (path relative to the report folder ->
 * text): the highest level of any entry, `patch` when no declaration changed.
 */
export function classifyApiChange(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ApiChange {
  const reports = [...new Set([...before.keys(), ...after.keys()])].sort();
  const entries: EntryChange[] = [];
  let diff = "";
  for (const report of reports) {
    const old = before.get(report);
    const next = after.get(report);
    if (old === next) continue;
    diff += createTwoFilesPatch(`a/${report}`, `b/${report}`, old ?? "", next ?? "", undefined, undefined, { context: 3 });
    const change = classifyReport(report, old, next);
    if (change.added > 0 || change.removed > 0 || old === undefined || next === undefined) entries.push(change);
  }
  const level = entries.reduce<ChangeLevel>((highest, { level: entry }) => (RANK[entry] > RANK[highest] ? entry : highest), "patch");
  return { level, entries, diff };
}

/** A changeset (`.changeset/<name>.md`) that releases `packageName` at `level` with `summary`. */
export function renderChangeset(packageName: string, level: ChangeLevel, summary: string): string {
  return `---\n${JSON.stringify(packageName)}: ${level}\n---\n\n${summary.trim()}\n`;
}

/** Longest diff put in a pull request body (GitHub refuses bodies over 65 536 characters; the spec check's output goes there too). */
const MAX_BODY_DIFF = 45_000;

/** The markdown a pull request shows: the level, why, and the report diff. */
export function renderApiChangeMarkdown(change: ApiChange): string {
  const lines = [`**Public API change: ${change.level}** (from the API report diff; the changeset in this pull request has this level).`, ""];
  if (change.entries.length === 0) {
    lines.push("No declaration of any public entry changed" + (change.diff === "" ? "." : " (documentation only)."));
  } else {
    lines.push("| report | lines added | lines removed or changed | level |", "| --- | --- | --- | --- |");
    for (const entry of change.entries) lines.push(`| \`${entry.report}\` | ${entry.added} | ${entry.removed} | ${entry.level} |`);
  }
  lines.push("", "patch: no public type changed; minor: declarations only added; major: a declaration removed or changed (narrowed, or changed in a way a line diff cannot tell from narrowing).");
  if (change.diff !== "") {
    const shown = change.diff.length > MAX_BODY_DIFF ? `${change.diff.slice(0, MAX_BODY_DIFF)}\n... (cut: ${change.diff.length} characters in all; the commit has the whole diff)\n` : change.diff;
    lines.push("", "```diff", shown.trimEnd(), "```");
  }
  return `${lines.join("\n")}\n`;
}
