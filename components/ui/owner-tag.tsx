/** "· shared by ada@lab.example" after an item someone else owns, in a listing (shared mode). */
export function OwnerTag({ item, viewerId }: { item: { owner: { id: number; email: string } | null; visibility: string }; viewerId: number | null }) {
  if (viewerId === null) return null;
  if (item.owner?.id === viewerId) return item.visibility === 'private' ? null : <span className="small muted"> · {item.visibility}</span>;
  return <span className="small muted" data-testid="owner-tag"> · {item.owner ? `by ${item.owner.email}` : 'built in'}</span>;
}
