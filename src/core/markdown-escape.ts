// Makes outside text (migration names, SQL, command output, people's names) inert in Markdown and MDX:
// no JSX, no expressions, no HTML, no formatting.

/** Backslash-escape every ASCII punctuation character that Markdown or MDX gives meaning to. */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+\-.!|~&$"']/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');
}

/** An inline code span that can hold any text, including backticks. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
