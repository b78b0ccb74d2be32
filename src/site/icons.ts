// The site's icon set: small stroked SVG paths (24×24 box), drawn in the text colour, so every status reads the
// same on any system whether or not an emoji font is installed.
export const icons = {
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6 6l12 12M18 6L6 18',
  warning: 'M12 3.5L2.5 20h19L12 3.5zM12 10v4.5M12 17.2v.3',
  info: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 11v6M12 7.5v.3',
  undo: 'M9 14L4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  stop: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9 9h6v6H9z',
  skip: 'M4 15a8 8 0 0 1 15-4M19 5v6h-6',
  minus: 'M6 12h12',
  question: 'M9 9a3 3 0 1 1 4.5 2.6c-1 .6-1.5 1.2-1.5 2.4M12 17.2v.3',
  dot: 'M12 9.5a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5z',
  rocket: 'M14 4c3-1.5 5.5-1 6 0c1 .5 1.5 3 0 6l-6 6l-6-6zM8 10l-4 1l-1 3l4-1M14 16l-1 4l-3 1l1-4M6 18l-2 2M15 9h.01',
  clipboard: 'M9 4h6v3H9zM9 5.5H6v15h12v-15h-3M9 11h6M9 15h4',
  chart: 'M4 4v16h16M8 16v-4M12 16V8M16 16v-6',
  siren: 'M6 18v-6a6 6 0 0 1 12 0v6M4 18h16v3H4zM12 2v2M4.5 5l1.5 1.5M19.5 5L18 6.5',
  note: 'M6 3h9l4 4v14H6zM15 3v4h4M9 11h7M9 15h7',
  wrench: 'M14.5 6.5a4 4 0 0 0 5 5L21 10a6 6 0 0 0-7-7zM14.5 6.5L4 17l3 3l10.5-10.5',
  bolt: 'M13 2L4 14h7l-1 8l9-12h-7z',
  gear: 'M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
} as const;

export type IconName = keyof typeof icons;

/** Emoji people put in runbooks and notes, drawn with our icons instead (a system without an emoji font shows boxes). */
export const emojiIcons: Record<string, IconName> = {
  '🚀': 'rocket',
  '📋': 'clipboard',
  '📊': 'chart',
  '🚨': 'siren',
  '📝': 'note',
  '🔧': 'wrench',
  '⚙': 'gear',
  '✅': 'check',
  '✔': 'check',
  '❌': 'cross',
  '✖': 'cross',
  '⚠': 'warning',
  ℹ: 'info',
  '↩': 'undo',
  '⏹': 'stop',
  '⚡': 'bolt',
};

const emojiPattern = new RegExp(`(${Object.keys(emojiIcons).join('|')})\\uFE0F?`, 'gu');

export type IconPiece = string | { icon: IconName };

/** Text with its known emoji cut out as icons: "🚀 Deploy" → [{ icon: 'rocket' }, ' Deploy']. */
export function iconPieces(text: string): IconPiece[] {
  const out: IconPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(emojiPattern)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push({ icon: emojiIcons[match[1]!]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** The icon drawn before the title of a runbook phase with a well-known id (the seed runbook's four phases). */
export const phaseIcons: Record<string, IconName> = {
  'pre-deployment': 'rocket',
  deployment: 'clipboard',
  'post-deployment': 'chart',
  rollback: 'siren',
};

/** A phase title as pieces: its own emoji drawn as icons, or else the icon of its id, if it has one. */
export function phaseTitlePieces(id: string, title: string): IconPiece[] {
  const pieces = iconPieces(title);
  const icon = phaseIcons[id];
  return icon && typeof pieces[0] === 'string' ? [{ icon }, ' ', ...pieces] : pieces;
}
