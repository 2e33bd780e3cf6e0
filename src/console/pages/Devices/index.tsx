import { Stack, Tabs, Title } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';

/** The Devices section: one tab per kind of device; HW tokens is the first. */
const DEVICE_TABS = [{ value: 'hw-tokens', label: 'HW tokens' }] as const;

export default function DevicesPage() {
  const tenant = useTenant();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = DEVICE_TABS.find((tab) => pathname.includes(`/devices/${tab.value}`))?.value ?? 'hw-tokens';
  return (
    <Stack gap="md">
      <Title order={1}>Devices</Title>
      <Tabs
        value={current}
        onChange={(value) => {
          if (value && value !== current) void navigate(`${paths.home(tenant.slug)}/devices/${value}`);
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Device kinds">
          {DEVICE_TABS.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>{tab.label}</Tabs.Tab>
          ))}
        </Tabs.List>
        {DEVICE_TABS.map((tab) => (
          <Tabs.Panel key={tab.value} value={tab.value} pt="md">
            {tab.value === current && <Outlet />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
