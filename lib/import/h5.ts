import h5wasm from 'h5wasm/node';

/**
 * HDF5 reading for imports, through h5wasm (the HDF5 C library compiled to WebAssembly; its
 * Node build opens files on disk). Only what the importers need: a dataset's shape, its whole
 * value, and a block of rows (a hyperslab, so a large state matrix is never read at once).
 */
export interface H5Dataset {
  shape: number[];
  value: unknown;
  rows(start: number, end: number): ArrayLike<number>;
}

export interface H5File {
  name: string;
  dataset(path: string): H5Dataset | null;
  close(): void;
}

export async function openH5(path: string): Promise<H5File> {
  await h5wasm.ready;
  let f: InstanceType<typeof h5wasm.File>;
  try {
    f = new h5wasm.File(path, 'r');
  } catch (err) {
    throw new Error(`${path} is not a readable HDF5 file: ${(err as Error).message}`);
  }
  return {
    name: path.split('/').pop() ?? path,
    dataset(p) {
      const d = f.get(p);
      if (!d || !(d instanceof h5wasm.Dataset)) return null;
      const shape = (d.shape ?? []).map(Number);
      return {
        shape,
        get value() {
          return d.value;
        },
        rows(start, end) {
          const ranges = shape.length === 1 ? [[start, end]] : [[start, end], []];
          return d.slice(ranges as [number, number][]) as ArrayLike<number>;
        },
      };
    },
    close() {
      f.close();
    },
  };
}
