import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/charts/styles.css';
import 'mantine-datatable/styles.css';
import './app.css';
import 'dayjs/locale/zh-cn';
import '../i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { preloadPageFor } from './routes';

// The page the window opens on is fetched now, beside the session check, not after it (routes.tsx).
preloadPageFor(window.location.hash.replace(/^#/, '').split('?')[0] || '/');

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
