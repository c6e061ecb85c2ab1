package org.jparallel.kernel.maven;

import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The user's Maven settings, read by Maven's own settings builder and decrypter: the local repository,
 * offline mode, mirrors, proxies, server credentials and the repositories of active profiles, as
 * {@code mvn} would use them.
 *
 * <p>Files: {@code ${maven.home}/conf/settings.xml} (when {@code maven.home} is set) under the user's
 * {@code ~/.m2/settings.xml}; the system property {@value #SETTINGS_PROPERTY} names another user file
 * (as {@code mvn -s} does), {@code maven.repo.local} another local repository (as with {@code mvn}).
 */
public final class MavenSettings {

    /** The system property naming the user settings file instead of {@code ~/.m2/settings.xml}. */
    public static final String SETTINGS_PROPERTY = "jparallel.maven.settings";

    private final Settings settings;
    private final Path userFile;

    private MavenSettings(Settings settings, Path userFile) {
        this.settings = settings;
        this.userFile = userFile;
    }

    /** The settings this JVM's user has (no file: Maven's defaults). */
    public static MavenSettings load() {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        String named = System.getProperty(SETTINGS_PROPERTY);
        Path user = named != null ? Path.of(named) : m2.resolve("settings.xml");
        String mavenHome = System.getProperty("maven.home");
        Path global = mavenHome == null ? null : Path.of(mavenHome, "conf", "settings.xml");
        return load(user, global, m2.resolve("settings-security.xml"));
    }

    /**
     * The settings in these files (any may be missing).
     *
     * @throws LibrarySettingsException when a file is not valid settings XML
     */
    public static MavenSettings load(Path user, Path global, Path security) {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setUserSettingsFile(user.toFile());
        if (global != null) {
            request.setGlobalSettingsFile(global.toFile());
        }
        Properties system = new Properties();
        system.putAll(System.getProperties());
        request.setSystemProperties(system);
        Settings built;
        try {
            built = new DefaultSettingsBuilderFactory().newInstance().build(request).getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new LibrarySettingsException("cannot read Maven settings " + user + ": "
                    + e.getProblems().get(0).getMessage(), e);
        }
        DefaultSecDispatcher dispatcher = new DefaultSecDispatcher(new DefaultPlexusCipher());
        dispatcher.setConfigurationFile(security.toString());
        SettingsDecryptionResult decrypted = new DefaultSettingsDecrypter(dispatcher)
                .decrypt(new DefaultSettingsDecryptionRequest(built));
        if (!decrypted.getProblems().isEmpty()) {
            throw new LibrarySettingsException("cannot decrypt a password in Maven settings " + user + ": "
                    + decrypted.getProblems().get(0).getMessage(), decrypted.getProblems().get(0).getException());
        }
        built.setServers(decrypted.getServers());
        built.setProxies(decrypted.getProxies());
        return new MavenSettings(built, user);
    }

    /** Where artifacts are kept: {@code maven.repo.local}, else the settings', else {@code ~/.m2/repository}. */
    public Path localRepository() {
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String configured = settings.getLocalRepository();
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Whether the settings say {@code <offline>true</offline>}: only the local repository is used. */
    public boolean offline() {
        return settings.isOffline();
    }

    /**
     * The repositories of the profiles that are active by default or listed in {@code <activeProfiles>}
     * (where companies name their repository), in the order the settings give them.
     */
    public List<RemoteRepository> profileRepositories() {
        List<RemoteRepository> repositories = new ArrayList<>();
        for (Profile profile : settings.getProfiles()) {
            boolean active = settings.getActiveProfiles().contains(profile.getId())
                    || profile.getActivation() != null && profile.getActivation().isActiveByDefault();
            if (active) {
                for (Repository r : profile.getRepositories()) {
                    repositories.add(new RemoteRepository.Builder(r.getId(), "default", r.getUrl()).build());
                }
            }
        }
        return repositories;
    }

    /** Applies offline mode, mirrors, proxies and credentials to a session being built. */
    public void configure(RepositorySystemSession.SessionBuilder session) {
        session.setOffline(offline());
        session.setMirrorSelector(mirrors());
        session.setProxySelector(proxies());
        session.setAuthenticationSelector(authentication());
    }

    private MirrorSelector mirrors() {
        DefaultMirrorSelector selector = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            selector.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(),
                    m.getMirrorOfLayouts());
        }
        return selector;
    }

    private ProxySelector proxies() {
        DefaultProxySelector selector = new DefaultProxySelector();
        for (Proxy p : settings.getProxies()) {
            if (!p.isActive()) {
                continue;
            }
            AuthenticationBuilder auth = new AuthenticationBuilder();
            auth.addUsername(p.getUsername()).addPassword(p.getPassword());
            selector.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(), p.getPort(),
                    auth.build()), p.getNonProxyHosts());
        }
        return selector;
    }

    private AuthenticationSelector authentication() {
        DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            AuthenticationBuilder auth = new AuthenticationBuilder();
            auth.addUsername(s.getUsername()).addPassword(s.getPassword());
            auth.addPrivateKey(s.getPrivateKey(), s.getPassphrase());
            selector.add(s.getId(), auth.build());
        }
        return selector;
    }

    @Override
    public String toString() {
        return "Maven settings " + (Files.exists(userFile) ? userFile : "(defaults; no " + userFile + ")")
                + ", local repository " + localRepository() + (offline() ? ", offline" : "")
                + (settings.getMirrors().isEmpty() ? "" : ", mirrors " + Arrays.toString(
                        settings.getMirrors().stream().map(Mirror::getId).toArray()));
    }
}
