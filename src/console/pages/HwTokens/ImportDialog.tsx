import { Alert, Anchor, Button, FileInput, Group, Modal, NativeSelect, PasswordInput, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ImportReport } from '../../../contract/index.js';
import { ApiError } from '../../api/api-error.js';
import { useImportSeedFile } from '../../api/use-import.js';
import { ErrorAlert } from '../../components/ui/QueryStates.js';
import { formatCount } from '../../lib/format.js';
import { problemTotal, type ImportProblem } from '../../lib/import-report.js';

const FORMATS = [
  { value: '', label: 'Detect from the file' },
  { value: 'pskc', label: 'PSKC (RFC 6030)' },
  { value: 'csv', label: 'CSV' },
  { value: 'yubico-csv', label: 'Yubico CSV (personalisation tool)' },
  { value: 'otpauth', label: 'otpauth:// URIs, one per line' },
];
const HEX_KEY = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/;

/** Import a seed file: all or nothing; a refused file lists every problem. */
export function ImportDialog({ tenant, opened, onClose, onShowBatch }: {
  tenant: string;
  opened: boolean;
  onClose: () => void;
  onShowBatch: (batchId: string) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import a seed file" size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {opened && <ImportForm tenant={tenant} onClose={onClose} onShowBatch={onShowBatch} />}
    </Modal>
  );
}

function ImportForm({ tenant, onClose, onShowBatch }: { tenant: string; onClose: () => void; onShowBatch: (batchId: string) => void }) {
  const upload = useImportSeedFile(tenant);
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [key, setKey] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const keyInvalid = key.trim() !== '' && !HEX_KEY.test(key.trim());
  const encryptable = format === '' || format === 'pskc';
  const both = encryptable && key.trim() !== '' && password !== '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!file || keyInvalid || both) return;
    upload.mutate({ file, format, key: encryptable ? key : '', password: encryptable ? password : '' });
  };

  if (upload.isSuccess) return <ImportDone report={upload.data} onClose={onClose} onShowBatch={onShowBatch} />;
  const problems = upload.error instanceof ApiError ? upload.error.errors ?? [] : [];
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          The whole file is imported, or nothing: any invalid entry or serial that already exists rejects the file, with
          a list of every problem.
        </Text>
        <FileInput
          label="Seed file"
          placeholder="Choose a file"
          required
          clearable
          value={file}
          onChange={setFile}
          error={touched && !file ? 'Choose the seed file.' : undefined}
          data-autofocus
        />
        <NativeSelect label="Format" data={FORMATS} value={format} onChange={(event) => setFormat(event.currentTarget.value)} />
        {encryptable && (
          <>
            <TextInput
              label="Pre-shared key (hex)"
              description="For a PSKC file encrypted with a pre-shared AES key: 32, 48 or 64 hex digits."
              autoComplete="off"
              spellCheck={false}
              classNames={{ input: 'hwt-mono' }}
              value={key}
              error={keyInvalid ? 'The key must be 32, 48 or 64 hexadecimal digits.' : undefined}
              onChange={(event) => setKey(event.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              description="For a PSKC file encrypted with a password."
              autoComplete="off"
              value={password}
              error={both ? 'Give the pre-shared key or the password, not both.' : undefined}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
          </>
        )}
        {upload.isError && <ErrorAlert error={upload.error} title="The file was not imported" />}
        {problems.length > 0 && <ProblemList problems={problems} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button type="submit" loading={upload.isPending}>IMPORT</Button>
        </Group>
      </Stack>
    </form>
  );
}

function ProblemList({ problems }: { problems: ImportProblem[] }) {
  const total = problemTotal(problems);
  return (
    <div>
      <Text fw={600} size="sm" mb={4}>{formatCount(total)} problem{total === 1 ? '' : 's'} in the file</Text>
      <ScrollArea.Autosize mah={260} type="auto">
        <Table striped withTableBorder aria-label="Problems in the seed file">
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>Line or key</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {problems.map((problem, index) => (
              <Table.Tr key={`${problem.ref}-${index}`}>
                <Table.Td className="hwt-mono" style={{ whiteSpace: 'nowrap' }}>{problem.ref}</Table.Td>
                <Table.Td>{problem.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </div>
  );
}

function ImportDone({ report, onClose, onShowBatch }: { report: ImportReport; onClose: () => void; onShowBatch: (batchId: string) => void }) {
  return (
    <Stack>
      <Alert color="green" variant="light" title="The file is imported" role="status">
        {formatCount(report.count)} token{report.count === 1 ? '' : 's'} imported from {report.fileName} ({report.format})
        {report.assigned > 0 ? `, ${formatCount(report.assigned)} assigned to their users` : ''}.
      </Alert>
      <Group justify="space-between">
        <Anchor component="button" type="button" onClick={() => { onShowBatch(report.batchId); onClose(); }}>
          Show the imported tokens
        </Anchor>
        <Button onClick={onClose} data-autofocus>Close</Button>
      </Group>
    </Stack>
  );
}
