'use client';
import { useRef, useState, type DragEvent } from 'react';

/** A drop target that also opens the file picker on click; hands the chosen file to `onFile`. */
export function FileDropzone({ onFile, disabled, hint }: { onFile: (file: File) => void; disabled?: boolean; hint: string }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const drop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      onClick={() => !disabled && input.current?.click()}
      role="button"
      tabIndex={0}
    >
      {hint}
      <input
        ref={input}
        type="file"
        data-testid="file-input"
        style={{ display: 'none' }}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </div>
  );
}
