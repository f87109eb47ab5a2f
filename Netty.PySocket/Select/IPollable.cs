namespace Netty.PySocket.Select;

/// <summary>
/// Something select/poll/epoll can watch: a kernel-side socket (TCP today, datagram later). It answers "what would
/// poll(2) say now?" (level readiness) and tells watchers, after every state change, that the answer may have
/// changed. Watchers never learn readiness from the notification itself; they ask <see cref="PollMask"/> again.
/// </summary>
internal interface IPollable
{
    /// <summary>
    /// The Linux poll(2) bits for the current state (POLLIN|POLLRDNORM, POLLOUT|POLLWRNORM, POLLERR, POLLHUP,
    /// POLLRDHUP; POLLNVAL once closed), as tcp_poll would compute them. Takes the source's own lock.
    /// </summary>
    /// <param name="interest">The bits the caller asks about (all by default): a source may skip work for the others.</param>
    int PollMask(int interest = ~0);

    /// <summary>
    /// Before a zero-timeout answer of "nothing ready": if the kernel already has what the state lacks, waits briefly
    /// for the event loop to deliver it; true when the state changed (look again). See SocketCore.KernelSync.cs.
    /// </summary>
    bool CatchUpWithKernel();

    /// <summary>
    /// Without waiting: moves bytes the kernel already holds for a connected stream socket into its buffer, so a
    /// socket reported for another event is reported readable in the same answer, as poll(2) would. True when
    /// something was moved.
    /// </summary>
    bool PullFromKernelNow();

    /// <summary>
    /// Adds a watcher. After this returns, every later state change calls <see cref="IReadinessWatcher.ReadinessChanged"/>
    /// (outside the source's lock), so "add, then check the level, then wait" loses no wakeup.
    /// The same watcher may be added more than once; each add needs its own remove.
    /// </summary>
    void AddWatcher(IReadinessWatcher watcher);

    /// <summary>Removes one earlier add of <paramref name="watcher"/>; does nothing if there is none.</summary>
    void RemoveWatcher(IReadinessWatcher watcher);
}

/// <summary>Told that a watched source's readiness may have changed. Must be quick and must not block: it runs on the event loop.</summary>
internal interface IReadinessWatcher
{
    void ReadinessChanged(IPollable source);
}
