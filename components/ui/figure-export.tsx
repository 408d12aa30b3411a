'use client';
import { useRef, type ReactNode } from 'react';
import { saveBlob, saveText } from './download-buttons';

/** The figure's SVG as standalone markup (namespace, size, white background). */
export function svgMarkup(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const box = svg.viewBox.baseVal;
  const width = box && box.width ? box.width : svg.clientWidth;
  const height = box && box.height ? box.height : svg.clientHeight;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('font-family', 'system-ui, sans-serif');
  clone.removeAttribute('style');
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#fff');
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

async function savePng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const box = svg.viewBox.baseVal;
  await saveSvgAsPng(svgMarkup(svg), box && box.width ? box.width : svg.clientWidth, box && box.height ? box.height : svg.clientHeight, filename, scale);
}

/** Rasterises standalone SVG markup (at `scale`) and saves it as a PNG. */
export async function saveSvgAsPng(markup: string, w: number, h: number, filename: string, scale = 2): Promise<void> {
  const width = w * scale;
  const height = h * scale;
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (blob) saveBlob(blob, filename);
}

/** Wraps a view drawn as SVG with SVG and PNG (2×) downloads of it. */
export function FigureExport({ name, children, testid }: { name: string; children: ReactNode; testid: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const svg = (): SVGSVGElement | null => ref.current?.querySelector('svg') ?? null;
  return (
    <div ref={ref} className="figure-export">
      {children}
      <span className="small download-buttons" data-testid={testid}>
        figure{' '}
        <button type="button" className="link" onClick={() => { const s = svg(); if (s) saveText(svgMarkup(s), `${name}.svg`, 'image/svg+xml'); }} data-testid={`${testid}-svg`}>SVG</button>{' '}
        <button type="button" className="link" onClick={() => { const s = svg(); if (s) void savePng(s, `${name}.png`); }} data-testid={`${testid}-png`}>PNG</button>
      </span>
    </div>
  );
}
