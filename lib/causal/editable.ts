import { EDITABLE } from '../../models/fused/state-edit.ts';

/** The quantities of a layer of this cell kind that interventions can set (views read this). */
export function editableQuantities(kind: string): readonly string[] {
  return (EDITABLE as Record<string, readonly string[] | undefined>)[kind] ?? [];
}
