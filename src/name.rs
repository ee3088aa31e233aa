//! [`Name`]: a shared, immutable string for the names and paths that many
//! records repeat (a locustfile's path in every request site, a user class
//! in every reach, a router file in every declaration).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// A string shared by reference count: a clone is a counter increment, not
/// a copy. Compares, orders, hashes, prints and serializes as its text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the same shared text (not only equal text).
    pub fn ptr_eq(a: &Name, b: &Name) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name(Arc::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Name(Arc::from(s))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Self {
        Name(Arc::from(s.as_str()))
    }
}

impl From<&Name> for String {
    fn from(n: &Name) -> Self {
        n.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == &*other.0
    }
}

/// A shared, immutable list of names (an operation's tags, which many
/// operations repeat): a clone is one counter increment, not a new list.
/// Compares, prints and serializes as its names.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Names(Arc<[Name]>);

impl Deref for Names {
    type Target = [Name];
    fn deref(&self) -> &[Name] {
        &self.0
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl Serialize for Names {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

impl From<Vec<Name>> for Names {
    fn from(names: Vec<Name>) -> Self {
        Names(Arc::from(names))
    }
}

impl FromIterator<Name> for Names {
    fn from_iter<I: IntoIterator<Item = Name>>(names: I) -> Self {
        Names(names.into_iter().collect())
    }
}

#[cfg(test)]
impl<const N: usize> PartialEq<[&str; N]> for Names {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.0.iter().eq(other.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::{Name, Names};

    #[test]
    fn compares_orders_and_prints_as_its_text() {
        let a = Name::from("alpha");
        let b = Name::from(String::from("beta"));
        assert!(a < b);
        assert_eq!(a, "alpha");
        assert_eq!("beta", b);
        assert_eq!(a.to_string(), "alpha");
        assert_eq!(format!("{a:?}"), "\"alpha\"");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"beta\"");
        let c = a.clone();
        assert!(
            std::ptr::eq(a.as_str(), c.as_str()),
            "a clone shares the text"
        );
    }

    #[test]
    fn a_list_of_names_is_shared_and_written_as_its_names() {
        let list: Names = ["a", "b"].into_iter().map(Name::from).collect();
        assert_eq!(list, ["a", "b"]);
        assert_ne!(list, ["a"]);
        assert_eq!(format!("{list:?}"), r#"["a", "b"]"#);
        assert_eq!(serde_json::to_string(&list).unwrap(), r#"["a","b"]"#);
        assert_eq!(serde_json::to_string(&Names::default()).unwrap(), "[]");
        let copy = list.clone();
        assert!(
            std::ptr::eq(list.as_ptr(), copy.as_ptr()),
            "a clone shares the list"
        );
    }
}
