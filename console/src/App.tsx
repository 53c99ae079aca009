// The console's frame: the sign-in page, or the signed-in layout (navigation, the
// signed-in principal, sign-out) with the page the location hash names.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Aws, clientsFor } from './aws.ts';
import { href, useRoute } from './hooks.ts';
import { CredentialReport } from './pages/CredentialReport.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { EventHistory } from './pages/EventHistory.tsx';
import { GroupDetail, Groups } from './pages/Groups.tsx';
import { KmsKeyDetail } from './pages/KmsKeyDetail.tsx';
import { KmsKeys } from './pages/KmsKeys.tsx';
import { MyCredentials } from './pages/MyCredentials.tsx';
import { Organizations } from './pages/Organizations.tsx';
import { Policies, PolicyDetail } from './pages/Policies.tsx';
import { RoleDetail, Roles } from './pages/Roles.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { Simulator } from './pages/Simulator.tsx';
import { UserDetail } from './pages/UserDetail.tsx';
import { Users } from './pages/Users.tsx';
import { onSessionEnded } from './session-events.ts';
import { clearSession, displayName, loadSession, saveSession, type Session } from './session.ts';
import { signOut } from './signin-api.ts';

const PAGES: { route: string; title: string }[] = [
  { route: 'dashboard', title: 'Security dashboard' },
  { route: 'users', title: 'Users' },
  { route: 'groups', title: 'Groups' },
  { route: 'roles', title: 'Roles' },
  { route: 'policies', title: 'Policies' },
  { route: 'simulator', title: 'Policy simulator' },
  { route: 'credential-report', title: 'Credential report' },
  { route: 'events', title: 'Event history' },
  { route: 'organization', title: 'Organization' },
  { route: 'kms', title: 'KMS keys' },
];

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [ended, setEnded] = useState(false);
  useEffect(
    () =>
      onSessionEnded(() => {
        clearSession();
        setSession(undefined);
        setEnded(true);
      }),
    [],
  );
  if (!session) {
    return (
      <SignIn
        notice={ended ? 'Your session has ended. Sign in again.' : undefined}
        onSignedIn={(signedIn) => {
          saveSession(signedIn);
          setSession(signedIn);
          setEnded(false);
          if (!window.location.hash) window.location.hash = href('dashboard');
        }}
      />
    );
  }
  return (
    <SignedIn
      session={session}
      onRegion={(region) => {
        const moved = { ...session, region };
        saveSession(moved);
        setSession(moved);
      }}
      onSignOut={async () => {
        await signOut(session).catch(() => undefined);
        clearSession();
        setSession(undefined);
      }}
    />
  );
}

/** Regions the console offers; any region Bulwark is asked for works the same. */
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1'];

function SignedIn({ session, onSignOut, onRegion }: { session: Session; onSignOut: () => void; onRegion: (region: string) => void }) {
  const route = useRoute();
  const clients = useMemo(() => clientsFor(session), [session]);
  const current = route[0] ?? 'dashboard';
  return (
    <Aws.Provider value={{ clients, session }}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Bulwark</span>
        <label className="region">
          Region{' '}
          <select value={session.region} onChange={(event) => onRegion(event.target.value)}>
            {[...new Set([session.region, ...REGIONS])].map((region) => (
              <option key={region}>{region}</option>
            ))}
          </select>
        </label>
        <a className="whoami" href={href('my-credentials')} title={`${session.identity.arn}: my security credentials`}>
          {displayName(session.identity)}
          {session.mfaUsed ? ' (MFA)' : ''}
        </a>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div className="layout">
        <nav aria-label="Console">
          <ul>
            {PAGES.map((page) => (
              <li key={page.route}>
                <a href={href(page.route)} aria-current={current === page.route ? 'page' : undefined}>
                  {page.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {pageFor(route)}
        </main>
      </div>
    </Aws.Provider>
  );
}

function pageFor([page, ...rest]: string[]): ReactNode {
  switch (page ?? 'dashboard') {
    case 'dashboard':
      return <Dashboard />;
    case 'users':
      return rest[0] ? <UserDetail key={rest[0]} userName={rest[0]} /> : <Users />;
    case 'groups':
      return rest[0] ? <GroupDetail key={rest[0]} groupName={rest[0]} /> : <Groups />;
    case 'roles':
      return rest[0] ? <RoleDetail key={rest[0]} roleName={rest[0]} /> : <Roles />;
    case 'policies':
      return rest[0] ? <PolicyDetail key={rest[0]} policyArn={rest[0]} /> : <Policies />;
    case 'events':
      return <EventHistory />;
    case 'simulator':
      return <Simulator />;
    case 'credential-report':
      return <CredentialReport />;
    case 'organization':
      return <Organizations />;
    case 'my-credentials':
      return <MyCredentials />;
    case 'kms':
      return rest[0] ? <KmsKeyDetail key={rest[0]} keyId={rest[0]} /> : <KmsKeys />;
    default:
      return <p>No such page.</p>;
  }
}
