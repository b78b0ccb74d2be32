// A rehype step for record bodies: known emoji become the site's inline SVG icons, so a record filed with
// "✅ success" (the CLI's status line) reads the same where no emoji font is installed.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { type IconName, iconPieces, icons } from './icons.ts';

/** The same markup as Icon.astro: decorative (the words beside it say the same), drawn in the text colour. */
export function iconElement(name: IconName): Element {
  return {
    type: 'element',
    tagName: 'svg',
    properties: {
      className: ['icon'],
      dataIcon: name,
      viewBox: '0 0 24 24',
      width: '1em',
      height: '1em',
      ariaHidden: 'true',
      focusable: 'false',
    },
    children: [{ type: 'element', tagName: 'path', properties: { d: icons[name] }, children: [] }],
  };
}

// Code is shown verbatim: an emoji inside a command or output stays what it is.
const VERBATIM = new Set(['code', 'pre', 'script', 'style', 'svg']);

function replaceIn(parent: Root | Element | { children: RootContent[] }): void {
  const out: RootContent[] = [];
  for (const child of parent.children) {
    if (child.type === 'text') {
      const pieces = iconPieces(child.value);
      if (pieces.length === 1 && typeof pieces[0] === 'string') out.push(child);
      else for (const p of pieces) out.push(typeof p === 'string' ? { type: 'text', value: p } : iconElement(p.icon));
      continue;
    }
    if (child.type === 'element' && VERBATIM.has(child.tagName)) {
      out.push(child);
      continue;
    }
    if ('children' in child && Array.isArray(child.children)) replaceIn(child as { children: RootContent[] });
    out.push(child);
  }
  parent.children = out as ElementContent[];
}

/** The unified plugin: `.use(rehypeIcons)`. */
export function rehypeIcons() {
  return (tree: Root) => replaceIn(tree);
}
