//! Walking cursor-paginated lists: [`Pages`] (one answer per page) and [`Items`] (every item).
//!
//! Justap lists are cursor-paginated: `starting_after` = id of the last item seen asks for the
//! next page, `ending_before` = id of the first item seen for the previous one, and each answer
//! says whether there are more (`has_more`). Each list operation has `…_stream` and `…_pages`
//! methods (and `…_stream_backward`, `…_pages_backward`) that do this walk; each page is requested
//! by the operation's plain method, so it is authenticated, signed and checked like any call.
//!
//! A walk ends after a page whose more-flag is false or absent, whose `data` is empty, or whose
//! cursor item has no id (or an empty one); after an error, which it yields first; and before a
//! page whose cursor was already sent, which means the server ignored the cursor and would repeat
//! pages forever. Nothing is fetched until the stream is polled, and nothing more once it is
//! dropped, so `StreamExt::take(n)` caps a walk.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;

/// Which way a walk goes through the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `starting_after` = the last item of each page.
    Forward,
    /// `ending_before` = the first item of each page.
    Backward,
}

impl Direction {
    /// The item whose id asks for the page after this one.
    pub(crate) fn edge<T>(self, items: &[T]) -> Option<&T> {
        match self {
            Direction::Forward => items.last(),
            Direction::Backward => items.first(),
        }
    }
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P, Error>> + Send>>;

/// Requests one page: `None` is the first (the caller's parameters as given), `Some(id)` the page
/// next to the item `id`.
type Fetch<P> = Box<dyn FnMut(Option<String>) -> PageFuture<P> + Send>;

/// A page's more-flag and the id of its cursor item in this direction (`None` when `data` is
/// empty or the item has no id).
type PageInfo<P> = fn(&P, Direction) -> (bool, Option<&str>);

/// The pages of a list, in walking order, as the server answered them: a
/// [`Stream`](futures_core::Stream) of `Result<Page, Error>`.
///
/// ```
/// use futures_util::TryStreamExt as _;
///
/// /// How many items a walk finds, page by page.
/// async fn count<P>(
///     mut pages: justap::Pages<P>,
///     data: impl Fn(&P) -> usize,
/// ) -> Result<usize, justap::Error> {
///     let mut total = 0;
///     while let Some(page) = pages.try_next().await? {
///         total += data(&page);
///     }
///     Ok(total)
/// }
/// ```
pub struct Pages<P> {
    direction: Direction,
    fetch: Fetch<P>,
    info: PageInfo<P>,
    /// The request in flight.
    pending: Option<PageFuture<P>>,
    /// `None`: the first page, not requested yet; then the cursor of the next page.
    next: Option<String>,
    /// Every cursor sent (and the caller's own), to stop when the server repeats a page.
    sent: HashSet<String>,
    done: bool,
}

impl<P> Pages<P> {
    /// A walk that starts with the caller's parameters; `start` is the caller's own cursor in this
    /// direction, if any.
    pub(crate) fn new<F>(
        direction: Direction,
        start: Option<String>,
        fetch: F,
        info: PageInfo<P>,
    ) -> Self
    where
        F: FnMut(Option<String>) -> PageFuture<P> + Send + 'static,
    {
        Pages {
            direction,
            fetch: Box::new(fetch),
            info,
            pending: None,
            next: None,
            sent: start.into_iter().collect(),
            done: false,
        }
    }

    /// The items of these pages, one by one; `data` takes a page's items out of it. Walking
    /// backwards, each page's items come last to first, so the stream keeps one direction.
    pub(crate) fn into_items<T>(self, data: fn(P) -> Vec<T>) -> Items<T>
    where
        P: Send + 'static,
        T: Send + 'static,
    {
        Items {
            pages: Box::pin(PageItems { pages: self, data }),
            current: Vec::new().into_iter(),
        }
    }
}

impl<P> Stream for Pages<P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Every field is `Unpin` (the future is boxed), so the walk can be driven through `&mut`.
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let pending = match &mut this.pending {
            Some(pending) => pending,
            None => this.pending.insert((this.fetch)(this.next.clone())),
        };
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                this.done = true;
                return Poll::Ready(Some(Err(error)));
            }
        };
        let (more, cursor) = (this.info)(&page, this.direction);
        let cursor = cursor.filter(|id| !id.is_empty());
        if let Some(id) = cursor {
            if this.sent.contains(id) {
                // The page ends where an earlier request started: the server ignored the cursor,
                // and this page repeats items already yielded.
                this.done = true;
                return Poll::Ready(None);
            }
        }
        match cursor {
            Some(id) if more => {
                this.sent.insert(id.to_owned());
                this.next = Some(id.to_owned());
            }
            _ => this.done = true,
        }
        Poll::Ready(Some(Ok(page)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            (0, Some(0))
        } else {
            (0, None)
        }
    }
}

impl<P> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("direction", &self.direction)
            .field("next", &self.next)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// Pages as their item lists, in walking order.
struct PageItems<P, T> {
    pages: Pages<P>,
    data: fn(P) -> Vec<T>,
}

impl<P, T> Stream for PageItems<P, T> {
    type Item = Result<Vec<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let direction = this.pages.direction;
        Pin::new(&mut this.pages).poll_next(cx).map(|page| {
            page.map(|page| {
                page.map(|page| {
                    let mut items = (this.data)(page);
                    if direction == Direction::Backward {
                        items.reverse();
                    }
                    items
                })
            })
        })
    }
}

/// Every item of a list, page after page: a [`Stream`](futures_core::Stream) of
/// `Result<Item, Error>`. An error ends it, after it is yielded.
///
/// ```
/// use futures_util::{StreamExt as _, TryStreamExt as _};
///
/// /// The first `n` items of a walk: no page after the one holding the `n`th is fetched.
/// async fn first<T>(items: justap::Items<T>, n: usize) -> Result<Vec<T>, justap::Error> {
///     items.take(n).try_collect().await
/// }
/// ```
pub struct Items<T> {
    pages: Pin<Box<dyn Stream<Item = Result<Vec<T>, Error>> + Send>>,
    /// The rest of the current page.
    current: std::vec::IntoIter<T>,
}

// Items are only moved out of the buffer, never pinned, so `Items` may move whatever `T` is.
impl<T> Unpin for Items<T> {}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            // An empty page is skipped; the walk itself stops after one.
            match this.pages.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(items))) => this.current = items.into_iter(),
            }
        }
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}
