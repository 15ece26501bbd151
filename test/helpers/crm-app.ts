/**
 * The setup of the CLI tests of one app: an internal app "crm" on the fake DingTalk (127.0.0.1)
 * and a temp workspace whose .dingtalkrc.yml configures it, its secret as ${<secretVar>}.
 */
import { startFakeDingTalk, type Fault, type FakeDingTalk } from '../fake-dingtalk/server.js';
import { workspace, type Workspace } from '../fake-dingtalk/workspace.js';

export interface CrmAppOptions {
  appKey: string;
  secret: string;
  /** Scopes the fake grants the app. */
  grants: string[];
  /** The app's `required` list in the config (none when absent). */
  required?: string[];
  /** The environment variable the config reads the secret from (default CRM_SECRET). */
  secretVar?: string;
  faults?: Fault[];
}

export const crmConfig = (o: Pick<CrmAppOptions, 'appKey' | 'required' | 'secretVar'>) =>
  `apps:\n  crm:\n    type: internal\n    appKey: ${o.appKey}\n    appSecret: \${${o.secretVar ?? 'CRM_SECRET'}}\n${o.required ? `    required: [${o.required.join(', ')}]\n` : ''}`;

export async function startCrmApp(o: CrmAppOptions): Promise<{ fake: FakeDingTalk; ws: Workspace }> {
  const fake = await startFakeDingTalk({ apps: { crm: { type: 'internal', appKey: o.appKey, appSecret: o.secret, grants: o.grants } }, ...(o.faults ? { faults: o.faults } : {}) });
  const ws = workspace();
  ws.write('.dingtalkrc.yml', crmConfig(o));
  return { fake, ws };
}

export async function stopCrmApp(app: { fake: FakeDingTalk; ws: Workspace }): Promise<void> {
  await app.fake.close();
  app.ws.remove();
}
