/**
 * vitest globalSetup, after the tools are installed (tools-setup.ts needs npm as the host has it):
 * the processes the tests start do without NODE_EXTRA_CA_CERTS. Node reads and parses that file
 * of certificates at every start (tens of ms), and a run starts thousands of processes, none of
 * which makes a TLS connection.
 */
export default function setup(): void {
  delete process.env.NODE_EXTRA_CA_CERTS;
}
