import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.js';
import { App } from './app/App.js';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
