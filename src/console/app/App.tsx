import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { RouterProvider } from 'react-router-dom';
import { setSessionLostHandler } from '../api/client.js';
import { createQueryClient } from './query-client.js';
import { createConsoleRouter } from './router.js';
import { handleSessionLost } from './session-lost.js';
import { theme } from './theme.js';

const queryClient = createQueryClient();
const router = createConsoleRouter();

export function App() {
  useEffect(() => {
    setSessionLostHandler(() => handleSessionLost(router, queryClient));
    return () => setSessionLostHandler(null);
  }, []);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" forceColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
