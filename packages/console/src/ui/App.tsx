import { useConsole } from './hooks.js';
import { Login } from './Login.js';
import { Workspace } from './Workspace.js';

export function App() {
  const [snap] = useConsole();
  if (snap.screen === 'loading') {
    return (
      <main class="splash" aria-busy="true">
        <p>{snap.t('connection.connecting')}</p>
      </main>
    );
  }
  return snap.screen === 'login' ? <Login /> : <Workspace />;
}
