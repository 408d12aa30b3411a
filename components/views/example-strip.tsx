import Link from 'next/link';
import type { NeuronExample } from '@/lib/neurons/neuron-details.ts';
import { activationColor, inkOn } from './activation-color';
import { displayChar, positionWidth } from './neuron-text.wrangle';

/**
 * One dataset example of a neuron page: the text around the cell's strongest position, each
 * character shaded by the cell's value (scaled by `scale`, the cell's largest magnitude), the
 * strongest one outlined; the whole strip links to the neuron view at that place.
 */
export function ExampleStrip({ example, scale, href, words = false }: { example: NeuronExample; scale: number; href: string; words?: boolean }) {
  return (
    <Link href={href} className="example-strip" data-testid="neuron-example" title={`position ${example.pos}: ${example.value.toFixed(3)} · open in the neuron view`}>
      <span className="example-value">{example.value.toFixed(2)}</span>
      <span className="neuron-text">
        {example.chars.map((ch, k) => {
          const v = (example.values[k] ?? 0) / scale;
          return (
            <span key={k} className={`nt-ch${ch === '\n' ? ' nl' : ''}${example.start + k === example.pos ? ' peak' : ''}`} style={{ background: activationColor(v), color: ch === '\n' ? undefined : inkOn(v), ...(words ? { width: positionWidth(ch, true), minWidth: positionWidth(ch, true) } : {}) }}>
              {displayChar(ch)}
            </span>
          );
        })}
      </span>
    </Link>
  );
}
