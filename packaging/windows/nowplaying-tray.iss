; Inno Setup 6 script: a per-user installer for the PyInstaller onedir.
;
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\nowplaying-tray.iss
;
; packaging/build.sh runs this after `pyinstaller build.spec` on Windows. Paths are
; relative to this file. Output: dist\NowPlaying-<version>-setup.exe
;
; - Installs for the current user only (no administrator rights, no UAC prompt) into
;   %LOCALAPPDATA%\Programs\Now Playing.
; - A Start menu entry; an optional "start at login" (the same HKCU Run value,
;   "NowPlayingTray", that the app's own setting writes, so the two always agree).
; - An uninstaller (Settings > Apps, or the Start menu), which also removes that Run
;   value. Settings and logs in %LOCALAPPDATA%\nowplaying-tray and the login in the
;   Credential Manager stay, as for any app; `nowplaying-tray-cli logout` clears the login.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Now Playing"
#define AppExe "nowplaying-tray.exe"
#define CliExe "nowplaying-tray-cli.exe"
#define RunKey "Software\Microsoft\Windows\CurrentVersion\Run"
#define RunValue "NowPlayingTray"

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it.
AppId={{63EF240E-DB4A-4526-A7BE-47D60A764AFB}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=nowplaying-tray contributors
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
; With PrivilegesRequired=lowest, {autopf} is %LOCALAPPDATA%\Programs.
DefaultDirName={autopf}\{#AppName}
DisableDirPage=auto
DisableProgramGroupPage=yes
UsePreviousTasks=yes
OutputDir=..\..\dist
OutputBaseFilename=NowPlaying-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\nowplaying-tray.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; Close a running copy (Restart Manager) before files are replaced or removed.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "startup"; Description: "Start {#AppName} when I sign in"; GroupDescription: "Start at login:"; Flags: unchecked

[Files]
Source: "..\..\dist\nowplaying-tray\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: no stale libraries from an older version.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Spotify's current song in the system tray"

[Registry]
Root: HKCU; Subkey: "{#RunKey}"; ValueType: string; ValueName: "{#RunValue}"; ValueData: """{app}\{#AppExe}"""; Tasks: startup; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The app's own "Start at login" setting may have written the value after install. }
  if CurUninstallStep = usUninstall then
    RegDeleteValue(HKEY_CURRENT_USER, '{#RunKey}', '{#RunValue}');
end;
