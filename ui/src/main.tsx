import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { TagColoursProvider } from './use-tag-colours.js';
import { applyTheme, initialTheme } from './use-theme.js';
import './styles.css';
import './panels.css';
import './layout.css';
import './checks.css';
import './relay.css';
import './tags.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
applyTheme(initialTheme());
createRoot(container).render(
  <StrictMode>
    <TagColoursProvider>
      <App />
    </TagColoursProvider>
  </StrictMode>,
);
