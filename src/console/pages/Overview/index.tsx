import { Anchor, Card, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { TokenStats } from '../../../contract/index.js';
import { useTokenStats } from '../../api/use-tokens.js';
import { paths } from '../../app/paths.js';
import { useTenant } from '../../app/session-context.js';
import { ErrorAlert } from '../../components/ui/QueryStates.js';
import { formatCount } from '../../lib/format.js';

/** The Operational console's start page: its sections, and the inventory at a glance. */
export default function OverviewPage() {
  const tenant = useTenant();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Operational console</Title>
        <Text c="dimmed">{tenant.name}</Text>
      </div>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {tenant.can('hwtoken:read') && (
          <SectionCard title="Devices" to={`${paths.home(tenant.slug)}/devices`} link="HW tokens">
            <InventoryFigures />
          </SectionCard>
        )}
        {tenant.can('user:read') && (
          <SectionCard title="Users" to={paths.users(tenant.slug)} link="Users">
            <Text size="sm">Find a user, see the tokens they hold and assign one from stock.</Text>
          </SectionCard>
        )}
        {tenant.can('audit:read') && (
          <SectionCard title="Audit" to={paths.audit(tenant.slug)} link="Audit trail">
            <Text size="sm">Every action on tokens, successful or refused: who, when, what and why.</Text>
          </SectionCard>
        )}
      </SimpleGrid>
    </Stack>
  );
}

function SectionCard({ title, to, link, children }: { title: string; to: string; link: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h3">{title}</Title>
        {children}
        <Anchor component={Link} to={to} fw={600}>Open {link}</Anchor>
      </Stack>
    </Card>
  );
}

function InventoryFigures() {
  const tenant = useTenant();
  const stats = useTokenStats(tenant.slug);
  if (stats.isPending) return <Skeleton height={72} aria-label="Loading the inventory figures" />;
  if (stats.isError) return <ErrorAlert error={stats.error} title="The figures could not be loaded" />;
  return <Figures stats={stats.data} />;
}

function Figures({ stats }: { stats: TokenStats }) {
  const rows: [string, number][] = [
    ['HW tokens', stats.total],
    ['Active', stats.byStatus.active],
    ['Disabled', stats.byStatus.disabled],
    ['Compromised', stats.byStatus.compromised],
    ['Assigned', stats.assigned],
    ['In stock', stats.inStock],
    ['Locked', stats.locked],
  ];
  return (
    <SimpleGrid cols={3} spacing="xs" verticalSpacing={4}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <Text size="xs" c="dimmed">{label}</Text>
          <Text fw={700}>{formatCount(value)}</Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
