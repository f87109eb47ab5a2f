namespace Netty.PySocket.Select;

/// <summary>
/// How a poll/epoll object reads the readiness of registered descriptors that are not our sockets (pipes, files,
/// eventfds, sockets made by other code): only the kernel knows it, and nobody notifies us, so
/// <see cref="ReadinessSet"/> asks on every call and waits in short slices while such descriptors are registered.
/// </summary>
internal interface IKernelReadiness
{
    /// <summary>
    /// Adds (registration, revents) for the ready ones among <paramref name="registered"/> (all with a null
    /// <see cref="ReadinessSet.Registration.Entry"/>) until <paramref name="hits"/> holds <paramref name="max"/>.
    /// </summary>
    void Collect(IReadOnlyList<ReadinessSet.Registration> registered, List<(ReadinessSet.Registration R, int Events)> hits, int max);
}
