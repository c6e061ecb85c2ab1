package org.jparallel.kernel.maven;

import org.eclipse.aether.RepositoryException;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.RepositoryOfflineException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Maven Resolver's failure (a tree of causes, one per artifact and repository) into the one
 * line the cell shows: a repository that could not be reached comes first (the artifact may be there),
 * then offline mode, then an artifact no repository has.
 */
final class ResolutionFailures {

    private ResolutionFailures() {
    }

    static LibraryException explain(RepositoryException e, MavenSettings settings) {
        List<Throwable> all = new ArrayList<>();
        collect(e, all, new IdentityHashMap<>());
        for (Throwable t : all) {
            if (t instanceof ArtifactTransferException && !(t instanceof ArtifactNotFoundException)) {
                Throwable network = network(t);
                if (network != null) {
                    RemoteRepository repo = ((ArtifactTransferException) t).getRepository();
                    return new RepositoryUnreachableException("cannot reach repository " + repo.getId() + " at "
                            + repo.getUrl() + " (" + network.getClass().getSimpleName() + ": " + network.getMessage()
                            + ") while resolving " + ((ArtifactTransferException) t).getArtifact(), e);
                }
            }
        }
        for (Throwable t : all) {
            if (t instanceof RepositoryOfflineException || t.getCause() instanceof RepositoryOfflineException) {
                return new UnknownArtifactException(missing(e, all) + " is not in the local repository "
                        + LibraryResolver.shortPath(settings.localRepository())
                        + " and Maven is offline (settings.xml <offline>true</offline>)", e);
            }
        }
        for (Throwable t : all) {
            if (t instanceof ArtifactNotFoundException) {
                ArtifactNotFoundException nf = (ArtifactNotFoundException) t;
                return new UnknownArtifactException(nf.getArtifact() + " was not found in "
                        + (nf.getRepository() == null ? "the local repository" : nf.getRepository().getId() + " ("
                        + nf.getRepository().getUrl() + ")") + tried(all), e);
            }
        }
        for (Throwable t : all) {
            if (t instanceof ArtifactTransferException) {
                ArtifactTransferException te = (ArtifactTransferException) t;
                RemoteRepository repo = te.getRepository();
                return new RepositoryUnreachableException("repository " + (repo == null ? "?" : repo.getId() + " at "
                        + repo.getUrl()) + " failed for " + te.getArtifact() + ": " + te.getMessage(), e);
            }
        }
        return new UnknownArtifactException(firstLine(e.getMessage()), e);
    }

    private static void collect(Throwable t, List<Throwable> into, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, true) != null) {
            return;
        }
        into.add(t);
        if (t instanceof ArtifactResolutionException) {
            for (ArtifactResult r : ((ArtifactResolutionException) t).getResults()) {
                r.getExceptions().forEach(x -> collect(x, into, seen));
            }
        }
        if (t instanceof DependencyCollectionException) {
            ((DependencyCollectionException) t).getResult().getExceptions().forEach(x -> collect(x, into, seen));
        }
        if (t instanceof ArtifactDescriptorException) {
            ((ArtifactDescriptorException) t).getResult().getExceptions().forEach(x -> collect(x, into, seen));
        }
        for (Throwable s : t.getSuppressed()) {
            collect(s, into, seen);
        }
        collect(t.getCause(), into, seen);
    }

    private static Throwable network(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException || c instanceof SocketTimeoutException) {
                return c;
            }
        }
        return null;
    }

    /** The other repositories that did not have it either, for the message. */
    private static String tried(List<Throwable> all) {
        List<String> ids = new ArrayList<>();
        for (Throwable t : all) {
            if (t instanceof ArtifactNotFoundException && ((ArtifactNotFoundException) t).getRepository() != null) {
                String id = ((ArtifactNotFoundException) t).getRepository().getId();
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids.size() > 1 ? " (searched " + String.join(", ", ids) + ")" : "";
    }

    private static String missing(RepositoryException e, List<Throwable> all) {
        for (Throwable t : all) {
            if (t instanceof ArtifactTransferException && ((ArtifactTransferException) t).getArtifact() != null) {
                Artifact a = ((ArtifactTransferException) t).getArtifact();
                return a.toString();
            }
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        return s == null ? "resolution failed" : s.lines().findFirst().orElse(s);
    }
}
