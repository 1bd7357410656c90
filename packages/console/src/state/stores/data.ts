import { INITIAL_STATE, reduce, type Action, type ConsoleState } from '../reducer.js';
import { EMPTY_THREAD, type Thread } from '../thread.js';
import { Store } from './base.js';
import type { ConnectionStore } from './connection.js';
import type { SessionStore } from './session.js';

/**
 * What the server told this console (me, my queue, my chats and their logs, notices), kept by the
 * reducer. Frames that only change this model are handled here; the others by the stores of their concern.
 */
export class DataStore extends Store<{ data: ConsoleState }> {
  constructor(connection: ConnectionStore, session: SessionStore) {
    super({ data: INITIAL_STATE });
    session.signedIn.add(({ agent }) => this.dispatch({ type: 'ready', agent, queue: [], chats: [] }));
    session.signedOut.add(() => this.dispatch({ type: 'signedOut' }));
    session.agentChanged.add((agent) => this.set({ data: { ...this.data, agent: { ...agent, presence: this.data.presence } } }));
    connection.on('ready', ({ agent, queue, chats }) => this.dispatch({ type: 'ready', agent, queue, chats }));
    connection.on('queueAdded', ({ item }) => this.dispatch({ type: 'queueAdded', item }));
    connection.on('queueRemoved', ({ chatId }) => this.dispatch({ type: 'queueRemoved', chatId }));
    connection.on('presence', ({ presence }) => this.dispatch({ type: 'presence', presence }));
    // 'chatAgent': the summary that follows carries the new agent; nothing of this chat's list state changes here.
  }

  get data(): ConsoleState {
    return this.state.data;
  }

  thread(chatId: string): Thread {
    return this.data.threads[chatId] ?? EMPTY_THREAD;
  }

  dispatch(action: Action): void {
    const data = reduce(this.data, action);
    if (data !== this.data) this.set({ data });
  }
}
