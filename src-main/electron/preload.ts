// The only bridge between the sandboxed renderer and the engine: `call` and `on`, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const IPC_CALL = 'billing:call';
const IPC_EVENT = 'billing:event';

contextBridge.exposeInMainWorld('billing', {
  call: (method: string, input: unknown) => ipcRenderer.invoke(IPC_CALL, method, input),
  on: (event: string, handler: (data: unknown) => void) => {
    const listener = (_e: IpcRendererEvent, message: { event: string; data: unknown }) => {
      if (message.event === event) handler(message.data);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, listener);
    };
  },
});
