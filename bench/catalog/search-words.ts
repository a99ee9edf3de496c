/**
 * The word lists the search scenario's catalog is composed from
 * (search-data.ts): 30 categories, each with six topic words of its own, and
 * the generic words of titles, descriptions and instructor names. No topic
 * word is an English word form or a prefix of another list's word, so a
 * search for one (which also matches it as a prefix, search-filter.ts) finds
 * only the courses that use it: about 1-2 % of the catalog.
 */

export interface CategoryWords {
  slug: string;
  name: string;
  /** Lower-case; each appears in titles and descriptions of the category's courses. */
  topics: string[];
}

export const CATEGORY_WORDS: CategoryWords[] = [
  { slug: 'web-development', name: 'Web Development', topics: ['react', 'javascript', 'css', 'html', 'frontend', 'browser'] },
  { slug: 'backend', name: 'Backend Engineering', topics: ['django', 'microservices', 'graphql', 'flask', 'laravel', 'rails'] },
  { slug: 'data-science', name: 'Data Science', topics: ['pandas', 'statistics', 'regression', 'notebook', 'visualization', 'dataset'] },
  { slug: 'machine-learning', name: 'Machine Learning', topics: ['neural', 'tensorflow', 'pytorch', 'classifier', 'embeddings', 'transformer'] },
  { slug: 'devops', name: 'DevOps', topics: ['kubernetes', 'docker', 'terraform', 'ansible', 'pipelines', 'helm'] },
  { slug: 'cloud', name: 'Cloud Computing', topics: ['aws', 'azure', 'serverless', 'lambda', 'cloudformation', 'gcp'] },
  { slug: 'security', name: 'Cybersecurity', topics: ['encryption', 'firewall', 'pentesting', 'malware', 'phishing', 'forensics'] },
  { slug: 'databases', name: 'Databases', topics: ['postgresql', 'indexing', 'sql', 'mongodb', 'replication', 'transactions'] },
  { slug: 'mobile', name: 'Mobile Development', topics: ['android', 'swift', 'kotlin', 'flutter', 'ios', 'tablet'] },
  { slug: 'game-development', name: 'Game Development', topics: ['unity', 'unreal', 'shaders', 'sprites', 'multiplayer', 'physics'] },
  { slug: 'graphic-design', name: 'Graphic Design', topics: ['typography', 'illustrator', 'photoshop', 'logo', 'layout', 'colour'] },
  { slug: 'ux-design', name: 'UX Design', topics: ['usability', 'wireframes', 'prototyping', 'personas', 'accessibility', 'figma'] },
  { slug: 'photography', name: 'Photography', topics: ['camera', 'lens', 'portrait', 'lighting', 'exposure', 'aperture'] },
  { slug: 'music', name: 'Music Production', topics: ['guitar', 'piano', 'mixing', 'synthesizer', 'chords', 'ableton'] },
  { slug: 'writing', name: 'Creative Writing', topics: ['poetry', 'fiction', 'screenwriting', 'storytelling', 'novel', 'editing'] },
  { slug: 'marketing', name: 'Digital Marketing', topics: ['seo', 'advertising', 'branding', 'newsletter', 'influencer', 'funnel'] },
  { slug: 'business', name: 'Business Strategy', topics: ['leadership', 'negotiation', 'startup', 'management', 'strategy', 'entrepreneurship'] },
  { slug: 'finance', name: 'Finance', topics: ['accounting', 'investing', 'budgeting', 'valuation', 'stocks', 'bookkeeping'] },
  { slug: 'languages', name: 'Languages', topics: ['spanish', 'french', 'german', 'japanese', 'grammar', 'vocabulary'] },
  { slug: 'mathematics', name: 'Mathematics', topics: ['calculus', 'algebra', 'geometry', 'probability', 'trigonometry', 'proofs'] },
  { slug: 'science', name: 'Science', topics: ['chemistry', 'biology', 'astronomy', 'genetics', 'ecology', 'quantum'] },
  { slug: 'health-fitness', name: 'Health and Fitness', topics: ['yoga', 'nutrition', 'pilates', 'running', 'meditation', 'stretching'] },
  { slug: 'cooking', name: 'Cooking', topics: ['baking', 'bread', 'pastry', 'vegan', 'knife', 'sauces'] },
  {
    slug: 'personal-development',
    name: 'Personal Development',
    topics: ['productivity', 'habits', 'mindfulness', 'confidence', 'focus', 'journaling'],
  },
  { slug: 'history', name: 'History', topics: ['medieval', 'renaissance', 'empire', 'revolution', 'archaeology', 'ancient'] },
  { slug: 'drawing-painting', name: 'Drawing and Painting', topics: ['watercolour', 'sketching', 'oil', 'anatomy', 'perspective', 'charcoal'] },
  { slug: 'architecture', name: 'Architecture', topics: ['buildings', 'urban', 'sustainable', 'cad', 'interiors', 'bridges'] },
  { slug: 'networking', name: 'Networking', topics: ['tcp', 'routing', 'dns', 'wireless', 'cisco', 'ethernet'] },
  { slug: 'embedded-systems', name: 'Embedded Systems', topics: ['arduino', 'microcontrollers', 'firmware', 'raspberry', 'sensors', 'robotics'] },
  { slug: 'blockchain', name: 'Blockchain', topics: ['ethereum', 'solidity', 'bitcoin', 'cryptography', 'tokens', 'wallets'] },
];

export const ADJECTIVES = [
  'Practical',
  'Complete',
  'Modern',
  'Essential',
  'Advanced',
  'Hands-on',
  'Applied',
  'Professional',
  'Introductory',
  'Creative',
];
export const NOUNS = [
  'Fundamentals',
  'Masterclass',
  'Bootcamp',
  'Workshop',
  'Guide',
  'Course',
  'Projects',
  'Techniques',
  'Essentials',
  'Foundations',
];
export const FORMATS = ['short lessons', 'guided exercises', 'weekly quizzes', 'real projects', 'case studies', 'live sessions', 'worked examples'];
export const AUDIENCES = ['beginners', 'working professionals', 'students', 'teams', 'hobbyists', 'career changers'];
export const CLOSINGS = [
  'Every module ends with a review.',
  'Includes downloadable notes and templates.',
  'No prior experience is needed.',
  'You will finish with a portfolio piece.',
  'Questions are answered in the course forum.',
  'Updated every year with new material.',
];
export const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Luca', 'Maya', 'Nils'];
export const LAST_NAMES = ['Alvarez', 'Brooks', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'Gupta', 'Hansen', 'Ito', 'Jensen', 'Khan', 'Lopez'];
