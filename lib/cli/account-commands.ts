import type { Db } from '../db/client.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../auth/tokens.ts';
import { addUser, listUsers } from '../auth/users.ts';
import { adoptUnowned } from '../auth/adopt.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const ACCOUNT_USAGE = `  cellscope user add EMAIL [--admin] --password-stdin [--json]
                  an account for shared mode (the password is read from standard input, at least 12 characters)
  cellscope user list [--json]
  cellscope user adopt EMAIL [--json]
                  gives EMAIL everything made in local mode (owned by nobody, not public) before sharing the server
  cellscope token create --user EMAIL --scope read|write [--json]
                  an API token for scripts (prints it once: only its hash is kept)
  cellscope token list [--json] · cellscope token revoke ID
`;

/** Standard input whole, without its final line break (a password piped or typed). */
async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8').replace(/\r?\n$/, '');
}

const print = (json: boolean, obj: unknown, human: string): void => {
  process.stdout.write(json ? `${JSON.stringify(obj)}\n` : `${human}\n`);
};

/** `cellscope user add|list|adopt`: accounts, on the database directly. */
export async function userCommand(db: Db, argv: string[], stdin: () => Promise<string> = readStdin): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseFlags(rest, { admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } });
  const json = values.json === true;
  if (sub === 'add') {
    const email = positionals[0];
    if (!email || positionals.length > 1) throw new UsageError('user add takes exactly one EMAIL');
    // Never a flag: a password on the command line is in the shell history and in `ps`.
    if (values['password-stdin'] !== true) throw new UsageError('user add needs --password-stdin (the password is read from standard input)');
    const user = await addUser(db, { email, password: await stdin(), isAdmin: values.admin === true });
    print(json, { userId: user.id, email: user.email, isAdmin: user.isAdmin }, `user ${user.id}: ${user.email}${user.isAdmin ? ' (admin)' : ''}`);
    return;
  }
  if (sub === 'list') {
    const users = await listUsers(db);
    print(json, { users }, users.length === 0 ? 'no users yet' : users.map((u) => `${u.id}\t${u.email}${u.isAdmin ? '\tadmin' : ''}`).join('\n'));
    return;
  }
  if (sub === 'adopt') {
    const email = positionals[0];
    if (!email || positionals.length > 1) throw new UsageError('user adopt takes exactly one EMAIL');
    const adopted = await adoptUnowned(db, email);
    print(json, adopted, Object.entries(adopted).map(([k, n]) => `${n} ${k}`).join(', ') + ` now belong to ${email}`);
    return;
  }
  throw new UsageError(`unknown user command ${JSON.stringify(sub ?? '')}: add, list or adopt`);
}

/** `cellscope token create|list|revoke`. */
export async function tokenCommand(db: Db, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseFlags(rest, { user: { type: 'string' }, scope: { type: 'string' }, json: { type: 'boolean' } });
  const json = values.json === true;
  if (sub === 'create') {
    if (typeof values.user !== 'string') throw new UsageError('--user EMAIL is required');
    if (typeof values.scope !== 'string') throw new UsageError('--scope read|write is required');
    const t = await createApiToken(db, { email: values.user, scope: values.scope });
    print(json, { tokenId: t.id, token: t.token, scope: t.scope, user: t.user }, `token ${t.id} (${t.scope}) for ${t.user}:\n${t.token}\nIt is shown once: only its hash is kept.`);
    return;
  }
  if (sub === 'list') {
    const tokens = await listApiTokens(db);
    print(json, { tokens }, tokens.length === 0 ? 'no tokens' : tokens.map((t) => `${t.id}\t${t.user}\t${t.scope}${t.revokedAt ? '\trevoked' : ''}`).join('\n'));
    return;
  }
  if (sub === 'revoke') {
    const id = intFlag({ id: positionals[0] }, 'id', { min: 1, required: true }) as number;
    await revokeApiToken(db, id);
    print(json, { revoked: id }, `token ${id} revoked`);
    return;
  }
  throw new UsageError(`unknown token command ${JSON.stringify(sub ?? '')}: create, list or revoke`);
}
