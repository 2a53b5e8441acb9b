import './respond.scss';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RespondPage } from './respond-page.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');

createRoot(root).render(
  <StrictMode>
    <RespondPage />
  </StrictMode>,
);
