import { render } from 'preact';
import { App } from './app.jsx';

function start() {
  const root = document.getElementById('app');
  root.textContent = '';
  render(<App />, root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
