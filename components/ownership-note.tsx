import { SharingPanel, type ShareableResource } from './sharing-panel';

/**
 * Whose an item is, on its page in shared mode: the owner gets the sharing control, anyone else
 * a line saying who shared it and that it is read-only. Nothing in local mode.
 */
export function OwnershipNote(props: { shared: boolean; canChange: boolean; resource: ShareableResource; id: number; owner: { email: string } | null; visibility: string }) {
  if (!props.shared) return null;
  if (props.canChange) {
    return (
      <section className="panel">
        <h2>Sharing</h2>
        <SharingPanel resource={props.resource} id={props.id} />
      </section>
    );
  }
  return (
    <p className="small muted" data-testid="read-only-note">
      {props.owner ? `${props.visibility === 'public' ? 'Public' : 'Shared with you'} by ${props.owner.email}` : 'Built in'}: read-only.
    </p>
  );
}
