// Small hooks the pages share: the current hash route, and loading data from the API.
import { useCallback, useEffect, useState } from 'react';
import { errorText } from './aws.ts';
import { noteSessionError } from './session-events.ts';

/** The route in the location hash: '#/users/alice' -> ['users', 'alice']. */
export function useRoute(): string[] {
  const read = () =>
    window.location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((part) => decodeURIComponent(part));
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload()); keeps its result or error text. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    run().then(
      (data) => current && setState({ data, loading: false }),
      (error) => {
        noteSessionError(error);
        if (current) setState({ error: errorText(error), loading: false });
      },
    );
    return () => {
      current = false;
    };
  }, [run, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}

export interface Action {
  busy: boolean;
  error: string | undefined;
  /** Runs `action`; answers whether it succeeded. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
}

/** Runs an action (a form submit), keeping its error text and whether it is under way. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      noteSessionError(failure);
      setError(errorText(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(undefined) };
}

export interface Change extends Action {
  /** Runs `work` and, when it succeeds, reloads; answers whether it succeeded. */
  change: (work: () => Promise<unknown>) => Promise<boolean>;
}

/**
 * useAction whose successful runs reload `state`: a row deleted, added or changed.
 * `change` answers whether the work succeeded (a form clears its fields then).
 */
export function useChange(state: { reload: () => void }): Change {
  const action = useAction();
  const change = async (work: () => Promise<unknown>) => {
    const done = await action.run(work);
    if (done) state.reload();
    return done;
  };
  return { ...action, change };
}
