// Where each Windows logsource of the Sigma taxonomy is recorded: services are event channels, categories are Sysmon
// (and a few PowerShell / Security) event ids. Follows the pySigma Windows pipelines' mapping.

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const POWERSHELL = 'Microsoft-Windows-PowerShell/Operational';
const POWERSHELL_CLASSIC = 'Windows PowerShell';

export interface ChannelEvents {
  readonly channel: string;
  /** Event ids in that channel; empty means every event of the channel. */
  readonly eventIds: readonly number[];
}

export const WINDOWS_SERVICES: ReadonlyMap<string, readonly string[]> = new Map([
  ['security', ['Security']],
  ['system', ['System']],
  ['application', ['Application']],
  ['sysmon', [SYSMON]],
  ['powershell', [POWERSHELL]],
  ['powershell-classic', [POWERSHELL_CLASSIC]],
  ['taskscheduler', ['Microsoft-Windows-TaskScheduler/Operational']],
  ['wmi', ['Microsoft-Windows-WMI-Activity/Operational']],
  ['dns-server', ['DNS Server']],
  ['dns-server-analytic', ['Microsoft-Windows-DNS-Server/Analytical']],
  ['driver-framework', ['Microsoft-Windows-DriverFrameworks-UserMode/Operational']],
  ['ntlm', ['Microsoft-Windows-NTLM/Operational']],
  ['dhcp', ['Microsoft-Windows-DHCP-Server/Operational']],
  ['msexchange-management', ['MSExchange Management']],
  ['printservice-admin', ['Microsoft-Windows-PrintService/Admin']],
  ['printservice-operational', ['Microsoft-Windows-PrintService/Operational']],
  ['terminalservices-localsessionmanager', ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational']],
  ['codeintegrity-operational', ['Microsoft-Windows-CodeIntegrity/Operational']],
  ['firewall-as', ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall']],
  ['bits-client', ['Microsoft-Windows-Bits-Client/Operational']],
  ['windefend', ['Microsoft-Windows-Windows Defender/Operational']],
  ['applocker', ['Microsoft-Windows-AppLocker/MSI and Script', 'Microsoft-Windows-AppLocker/EXE and DLL', 'Microsoft-Windows-AppLocker/Packaged app-Deployment', 'Microsoft-Windows-AppLocker/Packaged app-Execution']],
  ['security-mitigations', ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode']],
  ['smbclient-security', ['Microsoft-Windows-SmbClient/Security']],
  ['openssh', ['OpenSSH/Operational']],
  ['ldap', ['Microsoft-Windows-LDAP-Client/Debug']],
  ['appxdeployment-server', ['Microsoft-Windows-AppXDeploymentServer/Operational']],
  ['lsa-server', ['Microsoft-Windows-LSA/Operational']],
  ['diagnosis-scripted', ['Microsoft-Windows-Diagnosis-Scripted/Operational']],
  ['shell-core', ['Microsoft-Windows-Shell-Core/Operational']],
  ['capi2', ['Microsoft-Windows-CAPI2/Operational']],
  ['certificateservicesclient-lifecycle-system', ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational']],
  ['bitlocker', ['Microsoft-Windows-BitLocker/BitLocker Management']],
  ['vhdmp', ['Microsoft-Windows-VHDMP/Operational']],
  ['appmodel-runtime', ['Microsoft-Windows-AppModel-Runtime/Admin']],
]);

const sysmon = (...eventIds: number[]): ChannelEvents[] => [{ channel: SYSMON, eventIds }];

export const WINDOWS_CATEGORIES: ReadonlyMap<string, readonly ChannelEvents[]> = new Map([
  // Security 4688 names its fields differently (NewProcessName): rules written for Sysmon fields fire on Sysmon 1.
  ['process_creation', [...sysmon(1), { channel: 'Security', eventIds: [4688] }]],
  ['file_change', sysmon(2)],
  ['network_connection', sysmon(3)],
  ['sysmon_status', sysmon(4, 16)],
  ['process_termination', sysmon(5)],
  ['driver_load', sysmon(6)],
  ['image_load', sysmon(7)],
  ['create_remote_thread', sysmon(8)],
  ['raw_access_thread', sysmon(9)],
  ['process_access', sysmon(10)],
  ['file_event', sysmon(11)],
  ['registry_add', sysmon(12)],
  ['registry_delete', sysmon(12)],
  ['registry_set', sysmon(13)],
  ['registry_rename', sysmon(14)],
  ['registry_event', sysmon(12, 13, 14)],
  ['create_stream_hash', sysmon(15)],
  ['pipe_created', sysmon(17, 18)],
  ['wmi_event', sysmon(19, 20, 21)],
  ['dns_query', sysmon(22)],
  ['file_delete', sysmon(23, 26)],
  ['clipboard_capture', sysmon(24)],
  ['process_tampering', sysmon(25)],
  ['file_block_executable', sysmon(27)],
  ['file_block_shredding', sysmon(28)],
  ['file_executable_detected', sysmon(29)],
  ['sysmon_error', sysmon(255)],
  ['ps_module', [{ channel: POWERSHELL, eventIds: [4103] }]],
  ['ps_script', [{ channel: POWERSHELL, eventIds: [4104] }]],
  ['ps_classic_start', [{ channel: POWERSHELL_CLASSIC, eventIds: [400] }]],
  ['ps_classic_provider_start', [{ channel: POWERSHELL_CLASSIC, eventIds: [600] }]],
  ['ps_classic_script', [{ channel: POWERSHELL_CLASSIC, eventIds: [800] }]],
]);
