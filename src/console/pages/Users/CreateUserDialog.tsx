import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCreateUser } from '../../api/use-users.js';
import { paths } from '../../app/paths.js';
import { ErrorAlert } from '../../components/ui/QueryStates.js';

export function CreateUserDialog({ tenant, opened, onClose }: { tenant: string; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New user" closeButtonProps={{ 'aria-label': 'Close' }}>
      {opened && <CreateUserForm tenant={tenant} onClose={onClose} />}
    </Modal>
  );
}

function CreateUserForm({ tenant, onClose }: { tenant: string; onClose: () => void }) {
  const create = useCreateUser(tenant);
  const navigate = useNavigate();
  const [fields, setFields] = useState({ username: '', displayName: '', email: '', externalId: '' });
  const [touched, setTouched] = useState(false);
  const usernameInvalid = !/^\S{1,100}$/.test(fields.username.trim());
  const bind = (name: keyof typeof fields) => ({
    value: fields[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
      const value = event.currentTarget.value;
      setFields((f) => ({ ...f, [name]: value }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (usernameInvalid) return;
    const optional = (value: string) => (value.trim() ? value.trim() : undefined);
    create.mutate(
      {
        username: fields.username.trim(),
        displayName: optional(fields.displayName),
        email: optional(fields.email),
        externalId: optional(fields.externalId),
      },
      { onSuccess: (user) => { onClose(); void navigate(paths.user(tenant, user.id)); } },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Username" required data-autofocus autoComplete="off" {...bind('username')}
          error={touched && usernameInvalid ? 'A username is required, without spaces.' : undefined} />
        <TextInput label="Display name" autoComplete="off" {...bind('displayName')} />
        <TextInput label="E-mail" type="email" autoComplete="off" {...bind('email')} />
        <TextInput label="External id" autoComplete="off" {...bind('externalId')} />
        {create.isError && <ErrorAlert error={create.error} title="The user was not created" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button type="submit" loading={create.isPending}>Create user</Button>
        </Group>
      </Stack>
    </form>
  );
}
