/** Markdown escaping shared by the PR-comment / job-summary renderers (pure). */

/**
 * Text in a Markdown table cell or a `<summary>`: one line (CR too), `|` escaped (GFM), and
 * `<` `>` as entities, so text taken from a log never opens HTML (a `<!--` in a PR comment
 * would hide everything after it).
 */
export const mdCell = (s: string) => s.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A code span in a table cell: HTML is inert there; the fence outgrows any backtick run inside. */
export const mdCode = (s: string) => {
  const text = s.replace(/\r\n?|\n/g, ' ').replace(/\|/g, '\\|');
  const run = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(run + 1);
  return run ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
};
