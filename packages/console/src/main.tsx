import { render } from 'preact';
import { AgentSocket, agentSocketUrl } from './net/socket.js';
import { ConsoleStore } from './state/store.js';
import { App } from './ui/App.js';
import { StoreContext } from './ui/hooks.js';
import './styles.css';

const socketUrl = agentSocketUrl(window.location);
const store = new ConsoleStore((handlers) => new AgentSocket(socketUrl, handlers));
const root = document.getElementById('app');
if (root) {
  render(
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>,
    root,
  );
}
void store.init();
