import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportReport } from '../../contract/index.js';
import { apiRequest, seg } from './client.js';
import { auditKeys, tokenKeys, userKeys } from './query-keys.js';

export interface ImportRequest {
  file: File;
  /** Empty: the server detects the format. */
  format: string;
  key: string;
  password: string;
}

export function useImportSeedFile(tenant: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, format, key, password }: ImportRequest) => {
      // The fields come before the file so that a streaming parser knows them when the file arrives.
      const form = new FormData();
      if (format) form.append('format', format);
      if (key.trim()) form.append('key', key.trim());
      if (password) form.append('password', password);
      form.append('file', file, file.name);
      return apiRequest<ImportReport>(`/tenants/${seg(tenant)}/hw-tokens/import`, { method: 'POST', body: form });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokenKeys.all(tenant) });
      void queryClient.invalidateQueries({ queryKey: userKeys.all(tenant) });
      void queryClient.invalidateQueries({ queryKey: auditKeys.all(tenant) });
    },
  });
}
